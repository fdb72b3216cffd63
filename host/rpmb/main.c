/* SPDX-License-Identifier: MIT */
/*
 * testrunner-rpmb-dev: an eMMC RPMB emulator on a unix socket, compatible with
 * Trusty's rpmb_dev (same options, socket framing and device file layout).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "rpmb/conn.h"
#include "rpmb/dev.h"
#include "rpmb/keyparse.h"
#include "rpmb/log.h"
#include "rpmb/store.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 1,	 /* bad arguments */
	EXIT_DEVICE = 2, /* device file missing, invalid, locked or unwritable */
	EXIT_CONN = 3,	 /* socket setup failed, or the client sent malformed input */
};

#define DEFAULT_BLOCKS 512 /* Trusty rpmb_dev's default size */

/* --no-sync: a device nobody keeps (the harness's per-boot one) needs no fsync. */
static bool durable = true;

static void usage(FILE *f)
{
	fputs("usage: testrunner-rpmb-dev --dev FILE --sock PATH     serve one connection\n"
	      "       testrunner-rpmb-dev --dev FILE --sock-fd N     ... on listening socket N\n"
	      "       testrunner-rpmb-dev --init --dev FILE [--size BLOCKS] [--key HEX]\n"
	      "       testrunner-rpmb-dev --status --dev FILE [--key HEX]\n"
	      "\n"
	      "Emulates an eMMC RPMB partition of 256-byte blocks (JEDEC frames over the\n"
	      "framing of Trusty's rpmb_dev). --sock binds PATH, prints 'listening on PATH'\n"
	      "on stdout once connections are accepted, serves the first client and exits\n"
	      "when it disconnects. --init creates FILE (BLOCKS 1..65536, default 512; the\n"
	      "key, 32 bytes in hex, programs the device) and leaves an existing FILE alone;\n"
	      "with --sock or --sock-fd it then serves FILE, in the same process.\n"
	      "--status prints the device's state; with --key it fails unless that is the key.\n"
	      "  --no-sync       never fsync FILE: faster, but a crash or power loss can\n"
	      "                  lose or tear acknowledged writes (for throwaway devices)\n"
	      "  -v, --verbose   log every request on stderr\n"
	      "\n"
	      "Exit status: 0 ok, 1 usage, 2 device file error, 3 socket error or\n"
	      "malformed input from the client.\n",
	      f);
}

static int open_locked(const char *path, bool readonly, struct rpmb_fd_io *fio)
{
	int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);

	if (fd < 0) {
		rpmb_log("%s: %s", path, strerror(errno));
		return -1;
	}
	/* Two emulators on one file would each trust their own counter. */
	if (flock(fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
		rpmb_log("%s: %s", path,
			 errno == EWOULDBLOCK ? "in use by another testrunner-rpmb-dev"
					      : strerror(errno));
		close(fd);
		return -1;
	}
	rpmb_fd_io_init(fio, fd, durable);
	return fd;
}

static int open_store(const char *path, bool readonly, struct rpmb_fd_io *fio,
		      struct rpmb_store *st)
{
	int fd = open_locked(path, readonly, fio);
	int ret;

	if (fd < 0)
		return -1;
	ret = rpmb_store_open(st, &fio->io, readonly ? RPMB_STORE_RDONLY : 0);
	if (ret < 0) {
		rpmb_log("%s: %s", path,
			 ret == -EINVAL ? "not an RPMB device file" : strerror(-ret));
		close(fd);
		return -1;
	}
	if (st->journal_replayed && !readonly)
		rpmb_log("%s: re-applied the change found in its journal", path);
	return fd;
}

/* Create FILE atomically: a crash never leaves a half-made device behind. */
static int do_init(const char *path, unsigned long blocks, const uint8_t *key)
{
	struct rpmb_fd_io fio;
	char tmp[4096];
	int fd, ret;

	if (access(path, F_OK) == 0) {
		rpmb_log("%s: exists, left unchanged", path);
		return EXIT_OK;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= sizeof(tmp)) {
		rpmb_log("%s: path too long", path);
		return EXIT_USAGE;
	}
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rpmb_log("%s: %s", tmp, strerror(errno));
		return EXIT_DEVICE;
	}
	rpmb_fd_io_init(&fio, fd, durable);
	ret = rpmb_store_format(&fio.io, (uint32_t)blocks, key);
	close(fd);
	if (ret == 0 && link(tmp, path) < 0)
		ret = -errno;
	unlink(tmp);
	/* another --init made it meanwhile, just as whole: that one is the device */
	if (ret == -EEXIST) {
		rpmb_log("%s: made by another --init meanwhile, left unchanged", path);
		return EXIT_OK;
	}
	if (ret < 0) {
		rpmb_log("%s: %s", path, strerror(-ret));
		return EXIT_DEVICE;
	}
	return EXIT_OK;
}

static int do_status(const char *path, const uint8_t *key)
{
	struct rpmb_fd_io fio;
	struct rpmb_store st;
	int fd = open_store(path, true, &fio, &st);

	if (fd < 0)
		return EXIT_DEVICE;
	/* a client with another key fails every authenticated request: say so once */
	if (key && st.key_programmed && CRYPTO_memcmp(key, st.key, sizeof(st.key))) {
		rpmb_log("%s: the device's key does not match --key", path);
		close(fd);
		return EXIT_DEVICE;
	}
	printf("size: %u blocks (%u bytes)\n", st.blocks, st.blocks * RPMB_DATA_SIZE);
	printf("key: %s\n", st.key_programmed ? "programmed" : "not programmed");
	printf("write counter: %u%s\n", st.write_counter,
	       st.write_counter == RPMB_WRITE_COUNTER_MAX ? " (expired)" : "");
	if (st.journal_replayed)
		printf("journal: holds a committed change, re-applied on the next open\n");
	close(fd);
	return EXIT_OK;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		rpmb_log("%s: socket path too long", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rpmb_log("socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
		rpmb_log("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int do_serve(const char *path, const char *sock_path, int listen_fd)
{
	struct rpmb_fd_io fio;
	struct rpmb_store st;
	struct rpmb_dev dev;
	int dev_fd, conn, ret;

	/* The device is checked before the socket exists: ready means usable. */
	dev_fd = open_store(path, false, &fio, &st);
	if (dev_fd < 0)
		return EXIT_DEVICE;
	if (sock_path) {
		listen_fd = listen_on(sock_path);
		if (listen_fd < 0) {
			close(dev_fd);
			return EXIT_CONN;
		}
		printf("testrunner-rpmb-dev: listening on %s\n", sock_path);
		fflush(stdout);
	}
	do {
		conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	} while (conn < 0 && errno == EINTR);
	if (conn < 0) {
		rpmb_log("accept: %s", strerror(errno));
		ret = -errno;
	} else {
		/* One client only: nobody else can reach this device now. */
		close(listen_fd);
		listen_fd = -1;
		if (sock_path)
			unlink(sock_path);
		rpmb_dev_init(&dev, &st);
		ret = rpmb_conn_serve(&dev, conn);
		close(conn);
	}
	if (listen_fd >= 0) {
		close(listen_fd);
		if (sock_path)
			unlink(sock_path);
	}
	close(dev_fd);
	return ret == 0 ? EXIT_OK : EXIT_CONN;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "sock", required_argument, NULL, 's' },
		{ "sock-fd", required_argument, NULL, 'f' },
		{ "init", no_argument, NULL, 'i' },
		{ "status", no_argument, NULL, 'S' },
		{ "size", required_argument, NULL, 'n' },
		{ "key", required_argument, NULL, 'k' },
		{ "no-sync", no_argument, NULL, 'N' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dev = NULL, *sock = NULL;
	bool init = false, status = false, serve, have_key = false;
	unsigned long blocks = DEFAULT_BLOCKS;
	long sock_fd = -1;
	uint8_t key[RPMB_KEY_MAC_SIZE];
	char *end;
	int c, ret;

	opterr = 0; /* our own one-line errors, not getopt's */
	while ((c = getopt_long(argc, argv, ":d:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dev = optarg;
			break;
		case 's':
			sock = optarg;
			break;
		case 'i':
			init = true;
			break;
		case 'S':
			status = true;
			break;
		case 'N':
			durable = false;
			break;
		case 'v':
			rpmb_log_verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'f':
			errno = 0;
			sock_fd = strtol(optarg, &end, 10);
			if (errno || *end || sock_fd < 0 || sock_fd > 65535) {
				rpmb_log("--sock-fd %s: not a file descriptor", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'n':
			errno = 0;
			blocks = strtoul(optarg, &end, 10);
			if (errno || *end || blocks < 1 || blocks > RPMB_MAX_BLOCKS) {
				rpmb_log("--size %s: must be 1..%u blocks", optarg,
					 RPMB_MAX_BLOCKS);
				return EXIT_USAGE;
			}
			break;
		case 'k':
			if (rpmb_parse_key(optarg, key) < 0) {
				rpmb_log("--key: expected 32 bytes in hex (64 digits, "
					 "optionally separated by spaces or colons)");
				return EXIT_USAGE;
			}
			have_key = true;
			break;
		case ':':
			rpmb_log("%s: needs a value (--help for usage)", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			rpmb_log("%s: unknown option (--help for usage)", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		rpmb_log("%s: unexpected argument (--help for usage)", argv[optind]);
		return EXIT_USAGE;
	}
	if (!dev) {
		rpmb_log("--dev: missing (every mode needs the device FILE)");
		return EXIT_USAGE;
	}
	serve = sock != NULL || sock_fd >= 0;
	if ((status ? init || serve : !init && !serve) || (sock && sock_fd >= 0)) {
		rpmb_log("mode: exactly one of --sock, --sock-fd, --init, --status is needed "
			 "(or --init with --sock or --sock-fd)");
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);

	if (status)
		return do_status(dev, have_key ? key : NULL);
	if (init) {
		/* one process, not two: the harness makes a device for every boot */
		ret = do_init(dev, blocks, have_key ? key : NULL);
		if (ret != EXIT_OK || !serve)
			return ret;
	}
	return do_serve(dev, sock, (int)sock_fd);
}
