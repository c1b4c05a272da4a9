/*
 * The progress line of long runs (cli.h): drawn on stderr only when it is a
 * terminal, so logs, pipes and tests see nothing of it.
 */
#include "cli.h"

#include <time.h>
#include <unistd.h>

/* Redraw at most this often (seconds), except for the first and last step. */
#define REDRAW_INTERVAL 0.1

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_progress_start(cli_progress *p, const char *what, size_t total)
{
    p->active = isatty(STDERR_FILENO);
    p->what = what;
    p->total = total;
    p->last_drawn = 0;
}

void cli_progress_update(cli_progress *p, size_t done, const char *note)
{
    double t;

    if (!p->active)
        return;
    t = now_seconds();
    if (done > 0 && done < p->total && t - p->last_drawn < REDRAW_INTERVAL)
        return;
    p->last_drawn = t;
    /* \r and "erase to end of line" (ECMA-48 EL): one line, redrawn. */
    fprintf(stderr, "\r\033[Knearjob: %s %zu/%zu", p->what, done, p->total);
    if (p->total > 0)
        fprintf(stderr, " (%d %%)", (int)(100.0 * (double)done / (double)p->total));
    if (note)
        fprintf(stderr, " %s", note);
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (!p->active)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->active = 0;
}
