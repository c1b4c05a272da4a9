/*
 * nearjob apply --snapshot W.nj --participant ID --posting ID --date D: one
 * application (nj_application_submit()), saved atomically; refused applications change
 * nothing.
 */
#include <nearjob.h>

#include <stdio.h>
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

static int parse_options(int argc, char **argv, apply_options *o)
{
    const cli_option options[] = {
        {"--snapshot", CLI_VALUE, &o->snapshot, "W.nj"},
        {"-s", CLI_VALUE, &o->snapshot, NULL},
        {"--participant", CLI_VALUE, &o->participant_text, "ID"},
        {"--posting", CLI_VALUE, &o->posting_text, "ID"},
        {"--date", CLI_VALUE, &o->date_text, "D"},
    };
    int code = cli_parse_options("apply", argc, argv, options,
                                 sizeof options / sizeof *options, NULL);

    if (code == CLI_OK)
        code = cli_value_id("apply", "--participant", o->participant_text,
                            &o->participant);
    if (code == CLI_OK)
        code = cli_value_id("apply", "--posting", o->posting_text, &o->posting);
    if (code == CLI_OK)
        code = cli_value_date("apply", "--date", o->date_text, &o->date);
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

int cli_apply(int argc, char **argv)
{
    apply_options o;
    int code;

    memset(&o, 0, sizeof o);
    code = parse_options(argc, argv, &o);
    return code == CLI_OK ? cli_with_world(o.snapshot, apply, &o) : code;
}
