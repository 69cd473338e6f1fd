/* Placeholder: replaced by the seccomp launcher (issue 4). Execs its arguments unchanged. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PROGRAM [ARGS...]\n", argv[0]);
        return 2;
    }
    execv(argv[1], argv + 1);
    perror("execv");
    return 127;
}
