/*
 * Internal to the shim: a table of named values (constants, sizeof/offsetof) and its lookup,
 * shared by ringio_net.c (ringio_const) and ringio_poll.c (ringio_poll_const).
 */
#ifndef RINGIO_NAMED_H
#define RINGIO_NAMED_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct named {
    const char *name;
    long value;
};

/* The value named by the NUL-terminated string at `name`; LONG_MIN when unknown (values may be
 * negative, so -errno cannot signal that). */
static inline long named_lookup(const struct named *table, size_t count, long name)
{
    const char *n = (const char *) (intptr_t) name;
    if (n == NULL)
        return LONG_MIN;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(table[i].name, n) == 0)
            return table[i].value;
    }
    return LONG_MIN;
}

#endif
