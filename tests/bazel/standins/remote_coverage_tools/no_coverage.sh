#!/bin/sh
# The offline stand-in for Bazel's coverage tools: there are none.
echo "no coverage tools offline (tests/bazel/standins)" >&2
exit 1
