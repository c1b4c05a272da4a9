/*
 * nearjob apply --snapshot W.nj --participant ID --posting ID --date D: one
 * application (nj_application_submit()), saved atomically; refused
 * applications change nothing.
 *
 * nearjob withdraw --snapshot W.nj --participant ID --posting ID: the
 * application withdrawn (nj_application_withdraw()); after a selection the
 * slot it held goes to the first on the waitlist, and the command names
 * who moved up.
 */
#include <nearjob.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct apply_options {
    const char *snapshot, *participant_text, *posting_text, *date_text;
    int64_t participant, posting;
    int32_t date;
} apply_options;

void cli_apply_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob apply --snapshot W.nj --participant ID --posting ID --date D\n"
            "\n"
            "Apply for a posting on a day, with the library's rules: the posting\n"
            "is open and the day in its application window, the resident is\n"
            "eligible (age, residency, foreign residents), has not applied before;\n"
            "a posting with an early-close ratio closes when it is reached. The\n"
            "world is saved only when the application is accepted.\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj  the world file (replaced atomically)\n"
            "  --participant ID     the resident\n"
            "  --posting ID         the posting\n"
            "  --date D             the day of the application (YYYYMMDD or\n"
            "                       YYYY-MM-DD)\n"
            "  -h, --help           show this help\n");
}

void cli_withdraw_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob withdraw --snapshot W.nj --participant ID --posting ID\n"
            "\n"
            "Withdraw a resident's application. Before the posting's selection\n"
            "the application is simply withdrawn; after it, a slot the resident\n"
            "held goes to the first on the waitlist, who is named. Work already\n"
            "recorded stays in the ledger. The world is saved only when the\n"
            "withdrawal is accepted.\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj  the world file (replaced atomically)\n"
            "  --participant ID     the resident\n"
            "  --posting ID         the posting\n"
            "  -h, --help           show this help\n");
}

/* apply's options, or withdraw's (the same without --date). */
static int parse_options(const char *command, int argc, char **argv, apply_options *o)
{
    int with_date = strcmp(command, "apply") == 0;
    const cli_option options[] = {
        {"--snapshot", CLI_VALUE, &o->snapshot, "W.nj"},
        {"-s", CLI_VALUE, &o->snapshot, NULL},
        {"--participant", CLI_VALUE, &o->participant_text, "ID"},
        {"--posting", CLI_VALUE, &o->posting_text, "ID"},
        {"--date", CLI_VALUE, &o->date_text, "D"},
    };
    size_t n_options = sizeof options / sizeof *options - (with_date ? 0 : 1);
    int code = cli_parse_options(command, argc, argv, options, n_options, NULL);

    if (code == CLI_OK)
        code = cli_value_id(command, "--participant", o->participant_text,
                            &o->participant);
    if (code == CLI_OK)
        code = cli_value_id(command, "--posting", o->posting_text, &o->posting);
    if (code == CLI_OK && with_date)
        code = cli_value_date(command, "--date", o->date_text, &o->date);
    return code;
}

static void print_applied(const nj_registry *reg, const apply_options *o)
{
    const nj_posting *p = nj_posting_get(reg, o->posting);
    char day[11];

    printf("participant %lld applied to posting %lld on %s: application %zu, "
           "%d slot%s\n", (long long)o->participant, (long long)o->posting,
           cli_format_date(day, o->date), nj_posting_application_count(p),
           (int)nj_posting_slots(p), nj_posting_slots(p) == 1 ? "" : "s");
    if (nj_posting_status(p) == NJ_POSTING_CLOSED)
        printf("posting %lld is now closed (early close at %g applicants per slot)\n",
               (long long)o->posting, nj_posting_early_close_ratio(p));
    printf("saved %s\n", o->snapshot);
}

static int apply(nj_registry *reg, void *options)
{
    const apply_options *o = options;
    int code = cli_save_change(reg, o->snapshot, "apply",
                               nj_application_submit(reg, o->participant, o->posting, o->date));

    if (code == CLI_OK)
        print_applied(reg, o);
    return code;
}

/* apply or withdraw: the options, then the work on the loaded world. */
static int run_command(const char *command, cli_world_work *work, int argc, char **argv)
{
    apply_options o;
    int code;

    memset(&o, 0, sizeof o);
    code = parse_options(command, argc, argv, &o);
    return code == CLI_OK ? cli_with_world(o.snapshot, work, &o) : code;
}

int cli_apply(int argc, char **argv)
{
    return run_command("apply", apply, argc, argv);
}

static const char *status_word(int32_t status)
{
    switch (status) {
    case NJ_APPLICATION_SELECTED: return "selected";
    case NJ_APPLICATION_WAITLISTED: return "waitlisted";
    case NJ_APPLICATION_WITHDRAWN: return "withdrawn";
    default: return "not yet selected";
    }
}

/* The applicant who holds a slot now and did not before: the waitlist's
 * first, moved up by the withdrawal; 0 if none. `before` holds the
 * statuses in application order, taken before the withdrawal. */
static int64_t moved_up(const nj_posting *p, const int32_t *before)
{
    for (size_t i = 0; i < nj_posting_application_count(p); i++) {
        int64_t who;
        int32_t status;
        if (nj_posting_application_at(p, i, &who, &status, NULL, NULL) == NJ_OK &&
            status == NJ_APPLICATION_SELECTED && before[i] != NJ_APPLICATION_SELECTED)
            return who;
    }
    return 0;
}

static int withdraw(nj_registry *reg, void *options)
{
    const apply_options *o = options;
    const nj_posting *p = nj_posting_get(reg, o->posting);
    size_t n = p ? nj_posting_application_count(p) : 0;
    int32_t was = 0, *before = calloc(n ? n : 1, sizeof *before);
    int64_t promoted;
    int code;

    if (!before) {
        fprintf(stderr, "nearjob: withdraw: out of memory\n");
        return CLI_FAILED;
    }
    for (size_t i = 0; i < n; i++)
        nj_posting_application_at(p, i, NULL, &before[i], NULL, NULL);
    nj_application_status(reg, o->participant, o->posting, &was);
    code = cli_save_change(reg, o->snapshot, "withdraw",
                           nj_application_withdraw(reg, o->participant, o->posting));
    if (code == CLI_OK) {
        printf("participant %lld withdrew from posting %lld (was %s)\n",
               (long long)o->participant, (long long)o->posting, status_word(was));
        if ((promoted = moved_up(p, before)) != 0)
            printf("participant %lld moves up from the waitlist to the slot\n",
                   (long long)promoted);
        printf("saved %s\n", o->snapshot);
    }
    free(before);
    return code;
}

int cli_withdraw(int argc, char **argv)
{
    return run_command("withdraw", withdraw, argc, argv);
}
