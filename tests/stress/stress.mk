# Stress run, not part of make check: 200 real-QEMU runs of
# fixture.pass and 20 of fixture.flood, every result and log byte accounted for.
stress: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) tests/stress/stress.sh
