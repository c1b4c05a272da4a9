/*
 * nearjob stipend --snapshot W.nj [--participant ID] [--date D] [--csv]:
 * the stipend statements of one ledger period (minutes worked, paid under
 * the cap, over it, left, and the amount) and the programme's totals.
 */
#include <nearjob.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct stipend_options {
    const char *snapshot, *participant_text, *date_text;
    int csv;
    int64_t participant;
    int32_t date;
} stipend_options;

typedef struct statement {
    int64_t worked, paid, over_cap, remaining, amount;
} statement;

void cli_stipend_help(FILE *out)
{
    fprintf(out,
            "usage: nearjob stipend --snapshot W.nj [--participant ID] [--date D] [--csv]\n"
            "\n"
            "Print the stipend statements of the ledger period containing the\n"
            "day: for every resident who worked in it (or the one given), the\n"
            "time worked, paid under the per-person cap, over the cap (unpaid)\n"
            "and left under it, and the amount in won; then the programme's\n"
            "totals and its budget (docs/stipend.md). Times are H:MM in the\n"
            "table and minutes in CSV.\n"
            "\n"
            "Options:\n"
            "  -s, --snapshot W.nj  the world file\n"
            "  --participant ID     only this resident's statement\n"
            "  --date D             a day of the period (YYYYMMDD or YYYY-MM-DD);\n"
            "                       default: the latest work entry's day, else today\n"
            "  --csv                CSV instead of a table\n"
            "  -h, --help           show this help\n");
}

static int parse_options(int argc, char **argv, stipend_options *o)
{
    const cli_option options[] = {
        {"--snapshot", CLI_VALUE, &o->snapshot, "W.nj"},
        {"-s", CLI_VALUE, &o->snapshot, NULL},
        {"--participant", CLI_VALUE, &o->participant_text, NULL},
        {"--date", CLI_VALUE, &o->date_text, NULL},
        {"--csv", CLI_FLAG, &o->csv, NULL},
    };
    int code = cli_parse_options("stipend", argc, argv, options,
                                 sizeof options / sizeof *options, NULL);

    if (code == CLI_OK && o->participant_text)
        code = cli_value_id("stipend", "--participant", o->participant_text,
                            &o->participant);
    if (code == CLI_OK && o->date_text)
        code = cli_value_date("stipend", "--date", o->date_text, &o->date);
    return code;
}

/* The day of the latest work entry, else today. */
static int32_t default_date(const nj_registry *reg)
{
    int32_t latest = 0;

    for (size_t i = 0; i < nj_work_entry_count(reg); i++) {
        int64_t id;
        int32_t date = 0;
        if (nj_work_entry_id_at(reg, i, &id) == NJ_OK)
            nj_work_entry(reg, id, NULL, NULL, &date, NULL, NULL, NULL, NULL);
        latest = date > latest ? date : latest;
    }
    return latest ? latest : cli_today();
}

static int32_t period_start(const nj_registry *reg, int32_t date)
{
    int64_t mmdd = 101;

    nj_registry_get_int64(reg, NJ_OPT_PERIOD_START_MMDD, &mmdd);
    return (date / 10000 - (date % 10000 < mmdd)) * 10000 + (int32_t)mmdd;
}

static int add_row(cli_table *t, const char *label, const statement *s,
                   int with_remaining)
{
    char cells_text[5][32];
    const char *cells[] = {label, cells_text[0], cells_text[1], cells_text[2],
                           with_remaining ? cells_text[3] : "", cells_text[4]};

    snprintf(cells_text[0], 32, "%lld", (long long)s->worked);
    snprintf(cells_text[1], 32, "%lld", (long long)s->paid);
    snprintf(cells_text[2], 32, "%lld", (long long)s->over_cap);
    snprintf(cells_text[3], 32, "%lld", (long long)s->remaining);
    snprintf(cells_text[4], 32, "%lld", (long long)s->amount);
    return cli_table_add(t, cells);
}

static int statement_of(const nj_registry *reg, int64_t id, int32_t date,
                        statement *s)
{
    nj_status rc = nj_stipend_statement(reg, id, date, &s->worked, &s->paid,
                                        &s->over_cap, &s->remaining, &s->amount);
    char what[64];

    if (rc == NJ_OK)
        return CLI_OK;
    snprintf(what, sizeof what, "participant %lld", (long long)id);
    return cli_refused(NULL, what, rc);
}

/* Every resident who worked in the period, by id. */
static int add_everyone(const nj_registry *reg, int32_t date, cli_table *t,
                        size_t *persons)
{
    size_t n = nj_participant_count(reg);
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    int code = CLI_OK;

    if (!ids) {
        fprintf(stderr, "nearjob: out of memory\n");
        return CLI_FAILED;
    }
    for (size_t i = 0; i < n; i++)
        ids[i] = nj_participant_id(nj_participant_at(reg, i));
    qsort(ids, n, sizeof *ids, cli_compare_ids);
    *persons = 0;
    for (size_t i = 0; i < n && code == CLI_OK; i++) {
        char label[32];
        statement s;
        code = statement_of(reg, ids[i], date, &s);
        if (code != CLI_OK || s.worked == 0)
            continue;
        snprintf(label, sizeof label, "%lld", (long long)ids[i]);
        code = add_row(t, label, &s, 1);
        ++*persons;
    }
    free(ids);
    return code;
}

static int add_totals(const nj_registry *reg, int32_t date, cli_table *t,
                      int *over_budget)
{
    statement s = {0};
    nj_status rc = nj_stipend_programme_totals(reg, date, &s.worked, &s.paid,
                                               &s.over_cap, &s.amount, over_budget);

    if (rc != NJ_OK)
        return cli_refused(NULL, "programme totals", rc);
    return add_row(t, "total", &s, 0);
}

static void print_heading(const nj_registry *reg, int32_t date)
{
    int64_t cap = 0;
    char start[11], day[11];

    nj_registry_get_int64(reg, NJ_OPT_STIPEND_CAP_MINUTES, &cap);
    printf("stipend period from %s (containing %s), cap %lld:%02lld per person\n",
           cli_format_date(start, period_start(reg, date)),
           cli_format_date(day, date), (long long)(cap / 60), (long long)(cap % 60));
}

static void print_budget(const nj_registry *reg, size_t persons, int over_budget)
{
    int64_t budget = 0;

    nj_registry_get_int64(reg, NJ_OPT_BUDGET_KRW, &budget);
    printf("%zu resident%s worked in the period; budget: ", persons,
           persons == 1 ? "" : "s");
    if (budget == 0)
        printf("none set\n");
    else
        printf("%lld KRW, %s\n", (long long)budget,
               over_budget ? "exceeded" : "within it");
}

static int print_statements(nj_registry *reg, void *options)
{
    stipend_options *o = options;
    static const char *const headers[] = {
        "participant|participant_id", "worked|worked_minutes", "paid|paid_minutes",
        "over cap|over_cap_minutes", "left|remaining_minutes",
        "amount KRW|amount_krw"};
    cli_table t;
    size_t persons = 0;
    int over_budget = 0, code;

    if (!o->date_text)
        o->date = default_date(reg);
    cli_table_init(&t, headers, "rmmmmn");
    if (o->participant_text) {
        char label[32];
        statement s;
        snprintf(label, sizeof label, "%lld", (long long)o->participant);
        code = statement_of(reg, o->participant, o->date, &s);
        if (code == CLI_OK)
            code = add_row(&t, label, &s, 1);
    } else {
        code = add_everyone(reg, o->date, &t, &persons);
        if (code == CLI_OK)
            code = add_totals(reg, o->date, &t, &over_budget);
    }
    if (code == CLI_OK && !o->csv)
        print_heading(reg, o->date);
    if (code == CLI_OK)
        cli_table_print(&t, stdout, o->csv);
    if (code == CLI_OK && !o->csv && !o->participant_text)
        print_budget(reg, persons, over_budget);
    cli_table_free(&t);
    return code;
}

int cli_stipend(int argc, char **argv)
{
    stipend_options o;
    int code;

    memset(&o, 0, sizeof o);
    code = parse_options(argc, argv, &o);
    return code == CLI_OK ? cli_with_world(o.snapshot, print_statements, &o) : code;
}
