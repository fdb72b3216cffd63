/* SPDX-License-Identifier: MIT */
/*
 * JEDEC RPMB request processing over a device file: one transaction (request
 * frames in, response frames out) at a time, as Trusty's rpmb_dev frames them.
 */
#ifndef RPMB_DEV_H
#define RPMB_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "rpmb/store.h"

struct rpmb_dev {
	struct rpmb_store *store;
	/* For a result-read request sent on its own (JEDEC's two-step form). */
	bool have_last;
	uint16_t last_req;
	uint16_t last_result;
};

void rpmb_dev_init(struct rpmb_dev *dev, struct rpmb_store *store);

/*
 * Process @cmd_count request frames and fill @res_count response frames
 * (both 1..RPMB_SOCK_MAX_FRAMES, checked by the caller). Every outcome is
 * a JEDEC result in the response; returns that result for logging.
 */
uint16_t rpmb_dev_process(struct rpmb_dev *dev, const uint8_t *cmd, unsigned int cmd_count,
			  uint8_t *res, unsigned int res_count);

/* HMAC-SHA256 over bytes 228..511 of @count frames (OpenSSL). 0 or -EIO. */
int rpmb_dev_mac(const uint8_t key[RPMB_KEY_MAC_SIZE], const uint8_t *frames, unsigned int count,
		 uint8_t mac[RPMB_KEY_MAC_SIZE]);

const char *rpmb_req_name(uint16_t req);

#endif /* RPMB_DEV_H */
