/* SPDX-License-Identifier: MIT */
/*
 * The terminal view of a run on stderr: a status line of the running tests
 * (each with its elapsed time against its timeout) that is taken down before
 * any other text, serial console lines that say their boot, and colour.
 */
#ifndef HOST_REPORTS_TERMINAL_H
#define HOST_REPORTS_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "protocol/ktap.h"

/* How often the status line is redrawn while a test runs (elapsed seconds). */
#define TERM_TICK_MS 1000
/* A console line longer than this is shown in pieces. */
#define TERM_CONSOLE_LINE_MAX 1024
/* Before each serial console line (--verbose), after the boot's "[N] ". */
#define TERM_CONSOLE_PREFIX "serial: "

enum term_colour_mode {
	TERM_COLOUR_AUTO, /* on a terminal, unless NO_COLOR is set and not empty or TERM=dumb */
	TERM_COLOUR_ALWAYS,
	TERM_COLOUR_NEVER,
};

/* A slot's running test and its unfinished console line. */
struct term_slot {
	char test[KTAP_NAME_MAX]; /* "" none */
	uint64_t started;	  /* ms, when it was announced */
	unsigned long timeout_ms; /* 0: none */
	char line[TERM_CONSOLE_LINE_MAX];
	size_t len;
};

struct term {
	FILE *f;
	bool status;	      /* draw the status line */
	bool colour;	      /* SGR colours in the report lines */
	bool tag;	      /* more than one slot: console lines start with "[N] " */
	unsigned int columns; /* the terminal's width; 0: asked of f each time */
	struct term_slot *slots;
	size_t n_slots;
	size_t done, total; /* results in, of (0: unknown) */
	size_t shown;	    /* columns of the status line on the screen; 0: none */
	unsigned int held;  /* term_hold without term_release: no redraw */
	uint64_t next_tick; /* when the shown line is redrawn; 0: never */
};

/* Colour on @tty stderr? @no_color and @term are the environment's (may be NULL). */
bool term_colour_wanted(enum term_colour_mode mode, bool tty, const char *no_color,
			const char *term);
/* A status line on @tty stderr? Not where TERM=dumb says the cursor cannot move. */
bool term_status_wanted(bool tty, const char *term);

/* @n_slots: -j. 0, or -ENOMEM. */
int term_init(struct term *t, FILE *f, size_t n_slots, bool status, bool colour);
void term_free(struct term *t);

/* @sgr (an escape sequence) when colour is on, else "". */
const char *term_sgr(const struct term *t, const char *sgr);

/* Take the status line down, for other text to start at column 0. */
void term_hide(struct term *t);
/* Draw the status line (when wanted and a test runs), after whole lines of other text. */
void term_show(struct term *t, uint64_t now);
/*
 * Our text starts a line of its own, even after a log line that ended
 * without its '\n' (a boot that stopped mid-line) on the same terminal.
 */
void term_start_line(struct term *t);
/* term_hide and term_start_line, and no redraw until term_release (around a report's lines). */
void term_hold(struct term *t);
void term_release(struct term *t, uint64_t now);

/* Test @name was announced on @slot (from 1). */
void term_started(struct term *t, unsigned int slot, const char *name, unsigned long timeout_ms,
		  size_t done, size_t total, uint64_t now);
/* Test @name has its verdict: off the status line. */
void term_ended(struct term *t, const char *name);
/* No test runs any more (the run stopped). */
void term_idle(struct term *t);

/*
 * Serial console bytes of @slot's boot, shown a whole line at a time as
 * "[N] serial: LINE" ("serial: LINE" with one slot), control characters
 * escaped; @data NULL: the boot ended, its unfinished line is shown.
 */
void term_console(struct term *t, unsigned int slot, const char *data, size_t len, uint64_t now);

/* When the status line must be redrawn (0: not while none is shown). */
uint64_t term_deadline(const struct term *t);
/* Redraw it if its time has come. */
void term_tick(struct term *t, uint64_t now);

#endif
