/*
 * ringio shim, readiness half (issue 4): epoll for the readiness engine's Poller.
 * Same rules as ringio.c (see ringio.h).
 */
#define _GNU_SOURCE 1
