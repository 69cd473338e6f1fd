/*
 * netload: the load generator for ringio's TCP echo and proxy benchmarks. It runs as its own
 * process so that its CPU time is not charged to the server under test.
 *
 *   netload echo PORT CONNS MSG_SIZE WARMUP_S SECONDS
 *   netload proxy-rr CONNS MSG_SIZE WARMUP_S SECONDS
 *   netload proxy-bulk CONNS WARMUP_S SECONDS
 *   netload connect PORT CONNS MSG_SIZE WARMUP_S SECONDS
 *
 * One thread, one level-triggered epoll set, non-blocking sockets, TCP_NODELAY on every socket.
 * All CONNS client connections are made first (non-blocking connect, refused or EAGAIN attempts
 * retried after a short sleep); the clock starts when the last one is up. The first WARMUP_S
 * seconds are not counted, the next SECONDS are measured, then every socket is closed.
 *
 * echo: the clients talk to a server on 127.0.0.1:PORT. Closed loop, one request outstanding per
 *   connection: send MSG_SIZE bytes, wait for MSG_SIZE bytes back, check that they are the bytes
 *   sent, record the round trip (CLOCK_MONOTONIC), send the next. Each request takes its payload
 *   at a different offset of a fixed pattern, so bytes from another connection or an older
 *   request do not pass the check. Prints one line:
 *
 *     requests=N seconds=S req_per_sec=X p50_us=A p99_us=B p999_us=C mb_per_sec=M
 *
 *   (mb_per_sec counts both directions: 2 * MSG_SIZE * N / S / 1e6.)
 *
 * connect: the connection rate of an echo server on 127.0.0.1:PORT. Each of CONNS clients in turn
 *   connects, sends one MSG_SIZE request, waits for its echo (checked as in echo mode), closes, and
 *   connects again at once: one connection = one request. The close is abortive (SO_LINGER 0, a
 *   RST): a client that closed first with a FIN would leave its port in TIME_WAIT, and at tens of
 *   thousands of connections a second the ephemeral port range would run out; the server sees the
 *   reset as the end of the connection after its echo went out. The latency recorded is from the
 *   start of the connect to the checked echo. Same output line as echo mode, req_per_sec being
 *   connections per second.
 *
 * proxy-rr, proxy-bulk: netload is the backend as well. It listens on 127.0.0.1 port 0, prints
 *   `backend_port=P`, then reads one line `go PROXY_PORT` from stdin (the caller starts the proxy
 *   pointed at P in between) and connects the clients to 127.0.0.1:PROXY_PORT. The connections the
 *   proxy opens to the backend are accepted in the same epoll loop.
 *   proxy-rr: the backend side echoes whatever arrives; the clients behave as in echo mode; same
 *     output line.
 *   proxy-bulk: every client writes 64 KiB chunks as fast as its socket takes them; the backend
 *     side reads and discards. Bytes the backend side receives in the measured window are counted:
 *
 *     bytes=N seconds=S mb_per_sec=M
 *
 * Any failed call prints the call and strerror(errno) on stderr and exits 1, as does a connection
 * closed mid-run, a wrong echo, no progress at all for 10 s, or nothing completed in the measured
 * window. Usage errors, EOF or a malformed line on stdin exit 2.
 */
#define _GNU_SOURCE 1

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS        100000
#define MAX_MSG          (64L * 1024 * 1024)
#define MAX_SAMPLES      (50L * 1000 * 1000)  /* latencies stored; later ones are only counted */
#define CHUNK            (64 * 1024)          /* bulk write size, read size, backend echo buffer */
#define PATTERN_SHIFTS   251                  /* distinct payload offsets into the pattern */
#define CONNECT_ATTEMPTS 20
#define RETRY_SLEEP_NS   (20L * 1000 * 1000)
#define STALL_NS         (10LL * 1000 * 1000 * 1000)
#define MAX_EVENTS       512

enum mode { ECHO, PROXY_RR, PROXY_BULK, CONNECT };
enum kind { LISTENER, CLIENT, BACKEND };

struct conn {
    int fd;
    enum kind kind;
    unsigned id;            /* client index */
    int connected;          /* client: connect finished */
    int attempts;           /* client: connect attempts so far */
    uint32_t interest;      /* the events registered in epoll */

    /* client, request-response: the request in flight */
    const unsigned char *expect; /* payload sent, and so the echo expected */
    size_t out_off;         /* bytes of it sent */
    size_t in_off;          /* bytes of the echo received and checked */
    uint64_t t_start;       /* ns, when its first byte was sent (connect mode: its connect began) */
    uint64_t reqno;

    /* backend, proxy-rr: bytes read but not yet echoed back */
    unsigned char *buf;
    size_t buf_off, buf_len;

    struct conn *next;      /* backend: the list of accepted connections */
};

/* Everything the loop needs, in one place. */
static enum mode mode;
static size_t msg_size;
static int epfd = -1;
static struct sockaddr_in target;    /* where the clients connect */
static struct conn *clients;
static unsigned nclients, nconnected;
static struct conn *backends;        /* accepted backend connections (proxy modes) */
static int traffic;                  /* clients have started sending */
static uint64_t measure_start = UINT64_MAX, measure_end = UINT64_MAX;
static uint64_t last_progress;
static unsigned char *pattern;       /* msg_size + PATTERN_SHIFTS bytes */
static unsigned char scratch[256 * 1024];

/* results */
static uint64_t requests, bytes;
static uint64_t *samples;
static size_t nsamples, samples_cap;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ULL + (uint64_t) ts.tv_nsec;
}

static void die(const char *what, int err)
{
    fprintf(stderr, "netload: %s: %s\n", what, strerror(err));
    exit(1);
}

static void fail(const char *msg)
{
    fprintf(stderr, "netload: %s\n", msg);
    exit(1);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: netload echo PORT CONNS MSG_SIZE WARMUP_S SECONDS\n"
            "       netload proxy-rr CONNS MSG_SIZE WARMUP_S SECONDS\n"
            "       netload proxy-bulk CONNS WARMUP_S SECONDS\n"
            "       netload connect PORT CONNS MSG_SIZE WARMUP_S SECONDS\n");
    exit(2);
}

static long parse_long(const char *s, const char *name, long min, long max)
{
    char *endp;
    errno = 0;
    long v = strtol(s, &endp, 10);
    if (errno != 0 || endp == s || *endp != '\0' || v < min || v > max) {
        fprintf(stderr, "netload: %s must be %ld..%ld\n", name, min, max);
        exit(2);
    }
    return v;
}

static double parse_seconds(const char *s, const char *name, int zero_ok)
{
    char *endp;
    double v = strtod(s, &endp);
    if (endp == s || *endp != '\0' || !(zero_ok ? v >= 0 : v > 0) || v > 1e6) {
        fprintf(stderr, "netload: %s must be %s seconds\n", name, zero_ok ? ">= 0" : "> 0");
        exit(2);
    }
    return v;
}

static void set_interest(struct conn *c, uint32_t events)
{
    if (c->interest == events)
        return;
    struct epoll_event ev = { .events = events, .data.ptr = c };
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0)
        die("epoll_ctl(MOD)", errno);
    c->interest = events;
}

static void add_to_epoll(struct conn *c, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.ptr = c };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0)
        die("epoll_ctl(ADD)", errno);
    c->interest = events;
}

static void set_nodelay(int fd)
{
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0)
        die("setsockopt(TCP_NODELAY)", errno);
}

static void sleep_ns(long ns)
{
    struct timespec ts = { .tv_sec = 0, .tv_nsec = ns };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* ---- connecting the clients ---- */

static void rr_next(struct conn *c, uint64_t t);

/* Starts (or restarts) client c's non-blocking connect. */
static void start_connect(struct conn *c)
{
    for (;;) {
        c->attempts++;
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (c->fd < 0)
            die("socket", errno);
        set_nodelay(c->fd);
        if (connect(c->fd, (struct sockaddr *) &target, sizeof target) == 0 || errno == EINPROGRESS) {
            add_to_epoll(c, EPOLLOUT);
            return;
        }
        int err = errno;
        if ((err != ECONNREFUSED && err != EAGAIN) || c->attempts >= CONNECT_ATTEMPTS)
            die("connect", err);
        close(c->fd);
        sleep_ns(RETRY_SLEEP_NS);
    }
}

static void connect_failed(struct conn *c, int err)
{
    if ((err != ECONNREFUSED && err != EAGAIN && err != ETIMEDOUT) || c->attempts >= CONNECT_ATTEMPTS)
        die("connect", err);
    close(c->fd); /* also leaves the epoll set */
    sleep_ns(RETRY_SLEEP_NS);
    start_connect(c);
}

/* Client c's socket reported an event while its connect was pending. */
static void connect_event(struct conn *c)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        die("getsockopt(SO_ERROR)", errno);
    if (err != 0) {
        connect_failed(c, err);
        return;
    }
    c->connected = 1;
    nconnected++;
    last_progress = now_ns();
    if (mode == CONNECT && traffic) {
        /* A reconnection in connect mode: its request goes at once, timed from the connect. */
        uint64_t t_connect = c->t_start;
        rr_next(c, t_connect);
        return;
    }
    /* Quiet until traffic starts: request-response clients only ever wait for input. */
    set_interest(c, mode == PROXY_BULK ? 0 : EPOLLIN);
}

/* ---- request-response clients (echo, proxy-rr) ---- */

static void record(uint64_t t_done, uint64_t latency)
{
    if (t_done < measure_start || t_done >= measure_end)
        return;
    requests++;
    if (nsamples == samples_cap) {
        if (samples_cap == MAX_SAMPLES)
            return;
        size_t cap = samples_cap == 0 ? 1 << 20 : samples_cap * 2;
        if (cap > MAX_SAMPLES)
            cap = MAX_SAMPLES;
        uint64_t *s = realloc(samples, cap * sizeof *s);
        if (s == NULL)
            die("realloc", ENOMEM);
        samples = s;
        samples_cap = cap;
    }
    samples[nsamples++] = latency;
}

/* Sends what is left of c's request; waits for EPOLLOUT if the socket is full. */
static void rr_send(struct conn *c)
{
    while (c->out_off < msg_size) {
        ssize_t n = send(c->fd, c->expect + c->out_off, msg_size - c->out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                set_interest(c, EPOLLIN | EPOLLOUT);
                return;
            }
            die("send", errno);
        }
        c->out_off += (size_t) n;
        last_progress = now_ns();
    }
    set_interest(c, EPOLLIN);
}

static void rr_next(struct conn *c, uint64_t t)
{
    c->expect = pattern + (c->id * 31ULL + c->reqno) % PATTERN_SHIFTS;
    c->out_off = 0;
    c->in_off = 0;
    c->t_start = t;
    rr_send(c);
}

/* Connect mode: closes c abortively (no TIME_WAIT, see the top) and starts its next connection. */
static void reconnect(struct conn *c, uint64_t t)
{
    struct linger abortive = { .l_onoff = 1, .l_linger = 0 };
    if (setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive) < 0)
        die("setsockopt(SO_LINGER)", errno);
    close(c->fd); /* also leaves the epoll set */
    c->connected = 0;
    nconnected--;
    c->attempts = 0;
    c->t_start = t;
    start_connect(c);
}

/* Reads and checks echoed bytes; on a complete echo records it and sends the next request
   (connect mode: closes the connection and opens the next one). */
static void rr_receive(struct conn *c)
{
    while (c->in_off < msg_size) {
        size_t want = msg_size - c->in_off;
        if (want > sizeof scratch)
            want = sizeof scratch;
        ssize_t n = recv(c->fd, scratch, want, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            die("recv", errno);
        }
        if (n == 0)
            fail("connection closed by the server");
        if (c->in_off + (size_t) n > c->out_off)
            fail("received more bytes than were sent");
        if (memcmp(scratch, c->expect + c->in_off, (size_t) n) != 0)
            fail("echoed bytes differ from the bytes sent");
        c->in_off += (size_t) n;
        if ((size_t) n < want)
            break; /* the socket is most likely empty: back to epoll rather than an EAGAIN */
    }
    uint64_t t = now_ns();
    last_progress = t;
    if (c->in_off < msg_size)
        return;
    record(t, t - c->t_start);
    c->reqno++;
    if (mode == CONNECT) {
        reconnect(c, t);
        return;
    }
    rr_next(c, t);
}

/* ---- bulk clients (proxy-bulk) ---- */

static void bulk_send(struct conn *c)
{
    for (;;) {
        ssize_t n = send(c->fd, scratch, CHUNK, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            die("send", errno);
        }
        last_progress = now_ns();
    }
}

/* ---- the backend side (proxy modes) ---- */

static void accept_all(struct conn *listener)
{
    for (;;) {
        int fd = accept4(listener->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EAGAIN)
                return;
            die("accept4", errno);
        }
        set_nodelay(fd);
        struct conn *b = calloc(1, sizeof *b);
        if (b == NULL)
            die("calloc", ENOMEM);
        b->fd = fd;
        b->kind = BACKEND;
        if (mode == PROXY_RR && (b->buf = malloc(CHUNK)) == NULL)
            die("malloc", ENOMEM);
        add_to_epoll(b, EPOLLIN);
        b->next = backends;
        backends = b;
        last_progress = now_ns();
    }
}

/* Writes back what b holds; reads again only once all of it is out (the echo's backpressure). */
static void backend_flush(struct conn *b)
{
    while (b->buf_off < b->buf_len) {
        ssize_t n = send(b->fd, b->buf + b->buf_off, b->buf_len - b->buf_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                set_interest(b, EPOLLOUT);
                return;
            }
            die("send (backend)", errno);
        }
        b->buf_off += (size_t) n;
        last_progress = now_ns();
    }
    b->buf_off = b->buf_len = 0;
    set_interest(b, EPOLLIN);
}

static void backend_read(struct conn *b)
{
    for (;;) {
        unsigned char *dst = mode == PROXY_RR ? b->buf : scratch;
        ssize_t n = recv(b->fd, dst, CHUNK, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return;
            die("recv (backend)", errno);
        }
        if (n == 0)
            fail("backend connection closed by the proxy");
        uint64_t t = now_ns();
        last_progress = t;
        if (mode == PROXY_RR) {
            b->buf_off = 0;
            b->buf_len = (size_t) n;
            backend_flush(b);
            return; /* read again on the next EPOLLIN, if the echo went out */
        }
        if (t >= measure_start && t < measure_end)
            bytes += (uint64_t) n;
        if (n < CHUNK)
            return;
    }
}

/* ---- the loop ---- */

static void dispatch(struct conn *c, uint32_t ev)
{
    switch (c->kind) {
    case LISTENER:
        accept_all(c);
        break;
    case BACKEND:
        if (ev & EPOLLOUT)
            backend_flush(c);
        else
            backend_read(c); /* EPOLLIN, or EPOLLERR/EPOLLHUP: recv reports it */
        break;
    case CLIENT:
        if (!c->connected) {
            connect_event(c);
        } else if (!traffic) {
            /* connected and quiet, yet an event: the peer closed or reset it */
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0)
                die("client connection before the start", err);
            fail("client connection closed before the start");
        } else if (mode == PROXY_BULK) {
            bulk_send(c); /* EPOLLOUT, or EPOLLERR/EPOLLHUP: send reports it */
        } else {
            if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP))
                rr_receive(c);
            if ((ev & EPOLLOUT) && c->out_off < msg_size)
                rr_send(c);
        }
        break;
    }
}

/* Waits for events and handles them until `until` (ns) or, with until 0, all clients are up. */
static void run_loop(uint64_t until)
{
    struct epoll_event evs[MAX_EVENTS];
    for (;;) {
        uint64_t t = now_ns();
        if (until == 0 ? nconnected == nclients : t >= until)
            return;
        if (t - last_progress > STALL_NS)
            fail("no progress for 10 s");
        int timeout_ms = 100;
        if (until != 0 && until - t < 100000000ULL)
            timeout_ms = (int) ((until - t + 999999) / 1000000);
        int n = epoll_wait(epfd, evs, MAX_EVENTS, timeout_ms);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait", errno);
        }
        for (int i = 0; i < n; i++)
            dispatch(evs[i].data.ptr, evs[i].events);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

/* The nearest-rank percentile of the sorted samples, in microseconds. */
static double percentile_us(double p)
{
    size_t rank = (size_t) (p * (double) nsamples + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > nsamples)
        rank = nsamples;
    return (double) samples[rank - 1] / 1e3;
}

/* Prints backend_port=P, then reads `go PORT` from stdin; returns PORT. */
static int handshake(int listen_fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(listen_fd, (struct sockaddr *) &a, &len) < 0)
        die("getsockname", errno);
    printf("backend_port=%d\n", ntohs(a.sin_port));
    fflush(stdout);

    char line[128];
    if (fgets(line, sizeof line, stdin) == NULL) {
        fprintf(stderr, "netload: EOF on stdin, expected `go PROXY_PORT`\n");
        exit(2);
    }
    int port, consumed = 0;
    if (sscanf(line, "go %d%n", &port, &consumed) != 1 || port < 1 || port > 65535
        || (line[consumed] != '\n' && line[consumed] != '\0')) {
        fprintf(stderr, "netload: expected `go PROXY_PORT` on stdin, got: %s\n", line);
        exit(2);
    }
    return port;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    int port = 0;
    double warmup, seconds;
    int connect_mode = strcmp(argv[1], "connect") == 0;
    if ((strcmp(argv[1], "echo") == 0 || connect_mode) && argc == 7) {
        mode = connect_mode ? CONNECT : ECHO;
        port = (int) parse_long(argv[2], "PORT", 1, 65535);
        nclients = (unsigned) parse_long(argv[3], "CONNS", 1, MAX_CONNS);
        msg_size = (size_t) parse_long(argv[4], "MSG_SIZE", 1, MAX_MSG);
        warmup = parse_seconds(argv[5], "WARMUP_S", 1);
        seconds = parse_seconds(argv[6], "SECONDS", 0);
    } else if (strcmp(argv[1], "proxy-rr") == 0 && argc == 6) {
        mode = PROXY_RR;
        nclients = (unsigned) parse_long(argv[2], "CONNS", 1, MAX_CONNS);
        msg_size = (size_t) parse_long(argv[3], "MSG_SIZE", 1, MAX_MSG);
        warmup = parse_seconds(argv[4], "WARMUP_S", 1);
        seconds = parse_seconds(argv[5], "SECONDS", 0);
    } else if (strcmp(argv[1], "proxy-bulk") == 0 && argc == 5) {
        mode = PROXY_BULK;
        nclients = (unsigned) parse_long(argv[2], "CONNS", 1, MAX_CONNS);
        warmup = parse_seconds(argv[3], "WARMUP_S", 1);
        seconds = parse_seconds(argv[4], "SECONDS", 0);
    } else {
        usage();
    }

    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
        die("signal(SIGPIPE)", errno);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        die("getrlimit(RLIMIT_NOFILE)", errno);
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
        die("setrlimit(RLIMIT_NOFILE)", errno);

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        die("epoll_create1", errno);

    /* The payload pattern: request k of client i sends pattern[(31 i + k) % 251 ...]. */
    if (mode != PROXY_BULK) {
        pattern = malloc(msg_size + PATTERN_SHIFTS);
        if (pattern == NULL)
            die("malloc", ENOMEM);
        for (size_t i = 0; i < msg_size + PATTERN_SHIFTS; i++)
            pattern[i] = (unsigned char) (i * 7 + (i >> 8) * 13 + (i >> 16));
    } else {
        for (size_t i = 0; i < sizeof scratch; i++)
            scratch[i] = (unsigned char) i;
    }

    struct conn listener = { .fd = -1, .kind = LISTENER };
    if (mode == PROXY_RR || mode == PROXY_BULK) {
        listener.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (listener.fd < 0)
            die("socket", errno);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0,
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        if (bind(listener.fd, (struct sockaddr *) &a, sizeof a) < 0)
            die("bind", errno);
        if (listen(listener.fd, 4096) < 0)
            die("listen", errno);
        port = handshake(listener.fd);
        add_to_epoll(&listener, EPOLLIN);
    }

    target.sin_family = AF_INET;
    target.sin_port = htons((uint16_t) port);
    target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    clients = calloc(nclients, sizeof *clients);
    if (clients == NULL)
        die("calloc", ENOMEM);
    last_progress = now_ns();
    for (unsigned i = 0; i < nclients; i++) {
        clients[i].kind = CLIENT;
        clients[i].id = i;
        start_connect(&clients[i]);
    }
    run_loop(0); /* until every client is connected */

    uint64_t t0 = now_ns();
    measure_start = t0 + (uint64_t) (warmup * 1e9);
    measure_end = measure_start + (uint64_t) (seconds * 1e9);
    traffic = 1;
    last_progress = t0;
    for (unsigned i = 0; i < nclients; i++) {
        if (mode == PROXY_BULK)
            set_interest(&clients[i], EPOLLOUT);
        else
            rr_next(&clients[i], now_ns());
    }
    run_loop(measure_end);

    double secs = (double) (measure_end - measure_start) / 1e9;
    if (mode == PROXY_BULK) {
        if (bytes == 0)
            fail("no byte reached the backend side in the measured window");
        printf("bytes=%llu seconds=%.3f mb_per_sec=%.2f\n", (unsigned long long) bytes, secs,
               (double) bytes / secs / 1e6);
    } else {
        if (requests == 0)
            fail("no request completed in the measured window");
        qsort(samples, nsamples, sizeof *samples, cmp_u64);
        printf("requests=%llu seconds=%.3f req_per_sec=%.1f p50_us=%.2f p99_us=%.2f p999_us=%.2f"
               " mb_per_sec=%.2f\n",
               (unsigned long long) requests, secs, (double) requests / secs, percentile_us(0.50),
               percentile_us(0.99), percentile_us(0.999),
               2.0 * (double) msg_size * (double) requests / secs / 1e6);
    }
    fflush(stdout);

    /* Close everything: clients, then the backend side (the proxy may still be mid-close). */
    for (unsigned i = 0; i < nclients; i++)
        close(clients[i].fd);
    while (backends != NULL) {
        struct conn *b = backends;
        backends = b->next;
        close(b->fd);
        free(b->buf);
        free(b);
    }
    if (listener.fd >= 0)
        close(listener.fd);
    close(epfd);
    return 0;
}
