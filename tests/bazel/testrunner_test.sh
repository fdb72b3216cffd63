#!/bin/sh
# SPDX-License-Identifier: MIT
# The test testrunner_test (testrunner.bzl) makes: the harness from the runfiles,
# given as the first argument; the rest are its `run` options.
set -eu
harness=$1
shift
exec "$harness" run "$@"
