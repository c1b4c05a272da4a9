/* The command line of every nearjob command (cli.h). */
#include "cli.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "text_util.h"

int cli_usage_error(const char *command, const char *what, const char *arg)
{
    fprintf(stderr, "nearjob: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
    if (command)
        fprintf(stderr, "Try 'nearjob %s --help'.\n", command);
    else
        fprintf(stderr, "Try 'nearjob --help'.\n");
    return CLI_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

/* A word that is a (negative) number rather than an option. */
static int is_number_word(const char *word)
{
    return word[0] == '-' && ((word[1] >= '0' && word[1] <= '9') || word[1] == '.');
}

/* The option `word` names, and where its "=VALUE" starts (or NULL). */
static const cli_option *find_option(const cli_option *options, size_t n,
                                     const char *word, const char **inline_value)
{
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(options[k].name);
        if (strncmp(word, options[k].name, len) != 0)
            continue;
        if (word[len] == '\0') {
            *inline_value = NULL;
            return &options[k];
        }
        if (word[len] == '=' && options[k].kind != CLI_FLAG) {
            *inline_value = word + len + 1;
            return &options[k];
        }
    }
    return NULL;
}

static int store_value(const char *command, const cli_option *option,
                       const char *value)
{
    if (option->kind == CLI_VALUE) {
        const char **target = option->target;
        if (*target)
            return cli_usage_error(command, "option given twice", option->name);
        *target = value;
        return CLI_OK;
    }
    cli_list *list = option->target;
    if (list->count == CLI_LIST_MAX)
        return cli_usage_error(command, "option given too many times",
                               option->name);
    list->item[list->count++] = value;
    return CLI_OK;
}

int cli_parse_options(const char *command, int argc, char **argv,
                      const cli_option *options, size_t n_options,
                      cli_list *positional)
{
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i], *value;
        const cli_option *option;
        int code;

        if (word[0] != '-' || word[1] == '\0' || is_number_word(word)) {
            if (!positional || positional->count == CLI_LIST_MAX)
                return cli_usage_error(command, "unexpected argument", word);
            positional->item[positional->count++] = word;
            continue;
        }
        option = find_option(options, n_options, word, &value);
        if (!option)
            return cli_usage_error(command, "unknown option", word);
        if (option->kind == CLI_FLAG) {
            *(int *)option->target = 1;
            continue;
        }
        if (!value) {
            if (i + 1 == argc)
                return cli_usage_error(command, "missing value after", word);
            value = argv[++i];
        }
        if ((code = store_value(command, option, value)) != CLI_OK)
            return code;
    }
    for (size_t k = 0; k < n_options; k++)
        if (options[k].required && !*(const char **)options[k].target) {
            fprintf(stderr, "nearjob: missing %s %s\n", options[k].name,
                    options[k].required);
            return cli_usage_error(command, "a required option is missing", NULL);
        }
    return CLI_OK;
}

static int bad_value(const char *command, const char *option,
                     const char *needs, const char *text)
{
    char what[384];

    snprintf(what, sizeof what, "%s needs %s", option, needs);
    return cli_usage_error(command, what, text);
}

/* Decimal digits only, no sign, without overflow. */
static int parse_digits(const char *text, uint64_t *out)
{
    uint64_t v = 0;

    if (*text == '\0')
        return 0;
    for (; *text; text++) {
        unsigned d = (unsigned)(*text - '0');
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

int cli_value_uint(const char *command, const char *option, const char *text,
                   uint64_t min, uint64_t max, uint64_t *out)
{
    char needs[96];

    if (parse_digits(text, out) && *out >= min && *out <= max)
        return CLI_OK;
    snprintf(needs, sizeof needs, "a whole number from %llu to %llu",
             (unsigned long long)min, (unsigned long long)max);
    return bad_value(command, option, needs, text);
}

int cli_value_id(const char *command, const char *option, const char *text,
                 int64_t *out)
{
    uint64_t v;

    if (!parse_digits(text, &v) || v < 1 || v > INT64_MAX)
        return bad_value(command, option, "an id (a whole number >= 1)", text);
    *out = (int64_t)v;
    return CLI_OK;
}

int cli_value_date(const char *command, const char *option, const char *text,
                   int32_t *out)
{
    char digits[9];
    size_t len = strlen(text);
    uint64_t v = 0;

    if (len == 10 && text[4] == '-' && text[7] == '-') {
        memcpy(digits, text, 4);
        memcpy(digits + 4, text + 5, 2);
        memcpy(digits + 6, text + 8, 2);
        digits[8] = '\0';
    } else if (len == 8) {
        memcpy(digits, text, 9);
    } else {
        digits[0] = '\0';
    }
    if (!parse_digits(digits, &v) || !nj_date_is_valid((int32_t)v))
        return bad_value(command, option,
                         "a date, YYYYMMDD or YYYY-MM-DD, 1900 to 2999", text);
    *out = (int32_t)v;
    return CLI_OK;
}

int cli_value_double(const char *command, const char *option,
                     const char *text, double min, double max, double *out)
{
    char needs[128];

    if (text_parse_double(text, strlen(text), out) == NJ_OK && *out >= min &&
        *out <= max)
        return CLI_OK;
    snprintf(needs, sizeof needs, "a decimal number from %.12g to %.12g", min, max);
    return bad_value(command, option, needs, text);
}

int cli_value_word(const char *command, const char *option, const char *text,
                   const char *const *words, size_t *out)
{
    char needs[256];
    size_t used;

    for (size_t k = 0; words[k]; k++)
        if (strcmp(text, words[k]) == 0) {
            *out = k;
            return CLI_OK;
        }
    used = (size_t)snprintf(needs, sizeof needs, "one of");
    for (size_t k = 0; words[k] && used < sizeof needs; k++)
        used += (size_t)snprintf(needs + used, sizeof needs - used, "%s %s",
                                 k ? "," : "", words[k]);
    return bad_value(command, option, needs, text);
}
