/* SPDX-License-Identifier: MIT */
/* Arm exception syndromes (ESR_ELx) and PSTATE/SPSR values described in words. */
#ifndef HOST_REPORTS_ARM_DECODE_H
#define HOST_REPORTS_ARM_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* The exception class's name: "data abort taken without a change in EL". */
const char *esr_class_name(unsigned int ec);

/*
 * @esr in words into @buf (always terminated): the class, then for aborts
 * the fault status with its level and the WnR, FnV, CM, S1PTW and access
 * bits, for the other classes their main ISS fields, e.g.
 * "data abort taken without a change in EL (EC 0x25): translation fault,
 * level 0; read". Returns the length it needed, like snprintf.
 */
int esr_describe(uint64_t esr, char *buf, size_t n);

/* The fault status code (DFSC/IFSC) in words: "permission fault, level 3". */
int esr_fault_status(unsigned int fsc, char *buf, size_t n);

/* A PSTATE or SPSR: "EL1h, NZCV 0000, DAIF masked D A I F". */
int pstate_describe(uint64_t pstate, char *buf, size_t n);

#endif
