/*
 * Text helpers for the example loaders. See text_util.h.
 */
#include "text_util.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest number text_parse_double() accepts, in bytes. */
#define NUMBER_MAX_LEN 64
/* Room for the longest decimal point a locale may use. */
#define DECIMAL_POINT_MAX 8

/*
 * Read all of `f`. The buffer never grows beyond max_bytes + 2: the data,
 * one byte more to notice an oversized file, and the terminating NUL.
 */
static nj_status read_stream(FILE *f, size_t max_bytes, char **text,
                             size_t *len)
{
    size_t limit = max_bytes < SIZE_MAX - 2 ? max_bytes + 2 : SIZE_MAX;
    size_t cap = 0;
    size_t used = 0;
    char *buf = NULL;
    size_t got;

    do {
        if (cap - used < 2) {
            size_t new_cap = cap == 0 ? 65536 : cap < limit / 2 ? cap * 2 : limit;
            char *grown;
            if (new_cap > limit)
                new_cap = limit;
            grown = realloc(buf, new_cap);
            if (!grown) {
                free(buf);
                return NJ_E_NOMEM;
            }
            buf = grown;
            cap = new_cap;
        }
        got = fread(buf + used, 1, cap - used - 1, f);
        used += got;
        if (used > max_bytes) {
            free(buf);
            return NJ_E_RANGE;
        }
    } while (got > 0);

    if (ferror(f)) {
        free(buf);
        return NJ_E_IO;
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return NJ_OK;
}

nj_status text_read_file(const char *path, size_t max_bytes, char **text,
                         size_t *len)
{
    FILE *f;
    nj_status rc;

    *text = NULL;
    *len = 0;
    f = fopen(path, "rb");
    if (!f)
        return NJ_E_IO;
    rc = read_stream(f, max_bytes, text, len);
    if (fclose(f) != 0 && rc == NJ_OK) {
        free(*text);
        *text = NULL;
        *len = 0;
        rc = NJ_E_IO;
    }
    return rc;
}

static size_t skip_digits(const char *text, size_t i, size_t len)
{
    while (i < len && text[i] >= '0' && text[i] <= '9')
        i++;
    return i;
}

size_t text_number_span(const char *text, size_t len)
{
    size_t i = 0;
    size_t j;

    if (i < len && text[i] == '-')
        i++;
    if (i < len && text[i] == '0')
        i++;
    else if (i < len && text[i] >= '1' && text[i] <= '9')
        i = skip_digits(text, i, len);
    else
        return 0;
    if (i < len && text[i] == '.') {
        j = skip_digits(text, i + 1, len);
        if (j == i + 1)
            return 0;
        i = j;
    }
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        size_t k = i + 1;
        if (k < len && (text[k] == '+' || text[k] == '-'))
            k++;
        j = skip_digits(text, k, len);
        if (j == k)
            return 0;
        i = j;
    }
    return i;
}

nj_status text_parse_double(const char *text, size_t len, double *out)
{
    char buf[NUMBER_MAX_LEN + DECIMAL_POINT_MAX + 1];
    const char *point = localeconv()->decimal_point;
    size_t point_len = strlen(point);
    size_t used = 0;
    char *end;
    double value;

    if (len == 0 || len > NUMBER_MAX_LEN || text_number_span(text, len) != len)
        return NJ_E_CORRUPT;
    if (point_len == 0 || point_len > DECIMAL_POINT_MAX) {
        point = ".";
        point_len = 1;
    }
    /* strtod reads the locale's decimal point, so rewrite '.' into it. */
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '.') {
            memcpy(buf + used, point, point_len);
            used += point_len;
        } else {
            buf[used++] = text[i];
        }
    }
    buf[used] = '\0';

    errno = 0;
    value = strtod(buf, &end);
    if (end != buf + used)
        return NJ_E_CORRUPT;
    if (errno == ERANGE && isinf(value))
        return NJ_E_RANGE;
    *out = value;
    return NJ_OK;
}

nj_status text_parse_code(const char *text, size_t len, int64_t *out)
{
    int64_t value = 0;

    if (len == 0 || len > 18)
        return NJ_E_CORRUPT;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return NJ_E_CORRUPT;
        value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return NJ_OK;
}
