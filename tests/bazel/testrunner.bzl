# SPDX-License-Identifier: MIT
# testrunner_test: boot tests in QEMU as a Bazel test target, from its runfiles only.
#
#     load("//tests/bazel:testrunner.bzl", "testrunner_test")
#
#     testrunner_test(
#         name = "selftest",
#         selectors = ["selftest"],
#         image = "//firmware:testrunner.elf",
#         harness = "//tools:testrunner-host",
#         rpmb_dev = "//tools:testrunner-rpmb-dev",
#         shard_count = 3,
#     )
#
# The harness, the RPMB emulator and the image are data: they travel with the
# test into the sandbox or onto a remote executor, and are named by their
# runfiles paths, never by absolute ones. The emulator must sit beside the
# harness (the harness looks for it next to itself). QEMU is
# qemu-system-aarch64 from the test's PATH unless `qemu` names a target.
# Bazel's own variables do the rest (docs/ci.md): shards, TEST_TIMEOUT,
# XML_OUTPUT_FILE, TEST_UNDECLARED_OUTPUTS_DIR, --test_filter.

def testrunner_test(
        name,
        image,
        harness,
        rpmb_dev,
        selectors = [],
        qemu = None,
        harness_args = [],
        data = [],
        **kwargs):
    """A test target that runs `testrunner-host run` on @image.

    Args:
      name: the target.
      image: the guest image (a file or a rule's one output).
      harness: testrunner-host.
      rpmb_dev: testrunner-rpmb-dev, in the same package as the harness.
      selectors: what to run (none: the image's default set).
      qemu: a QEMU target to use instead of qemu-system-aarch64 from PATH.
      harness_args: more options for the harness (--timeout, --smp, -j...).
      data: more runfiles.
      **kwargs: sh_test's own (shard_count, timeout, size, tags...).
    """
    args = ["$(rootpath %s)" % harness, "--image", "$(rootpath %s)" % image]
    deps = [harness, rpmb_dev, image]
    if qemu:
        args += ["--qemu", "$(rootpath %s)" % qemu]
        deps.append(qemu)
    native.sh_test(
        name = name,
        srcs = [Label("//tests/bazel:testrunner_test.sh")],
        args = args + harness_args + ["--"] + selectors,
        data = deps + data,
        **kwargs
    )
