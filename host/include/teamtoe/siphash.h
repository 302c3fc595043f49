/* SPDX-License-Identifier: MIT */
/*
 * SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012): a keyed hash, so that a remote peer who does not know the key
 * cannot choose inputs that collide in our tables.
 *
 * SipHash-c-d: c compression rounds per 8-byte block, d finalization
 * rounds. tt_siphash24() is the paper's recommended SipHash-2-4 and is
 * checked against its reference vectors; tt_siphash13() is the faster
 * SipHash-1-3 that hash tables commonly use (Linux hsiphash on 64-bit,
 * Rust's HashMap) — same round function, fewer rounds.
 */
#ifndef TEAMTOE_SIPHASH_H
#define TEAMTOE_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* A 128-bit key as two little-endian 64-bit words (k0 = key bytes 0..7). */
struct tt_sipkey {
	uint64_t k0, k1;
};

/* Key from 16 bytes, as the paper's reference code reads it. */
struct tt_sipkey tt_sipkey_from_bytes(const uint8_t key[16]);

/* A fresh random key from getrandom(2). Returns 0 or a negative errno. */
int tt_sipkey_random(struct tt_sipkey *key);

/* SipHash-c-d of len bytes. */
uint64_t tt_siphash(const struct tt_sipkey *key, const void *data, size_t len,
		    unsigned int c, unsigned int d);

uint64_t tt_siphash24(const struct tt_sipkey *key, const void *data, size_t len);
uint64_t tt_siphash13(const struct tt_sipkey *key, const void *data, size_t len);

#endif
