/* Tables for people and as CSV, and JSON strings (cli.h). */
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void cli_table_init(cli_table *t, const char *const *headers,
                    const char *formats)
{
    memset(t, 0, sizeof *t);
    t->columns = strlen(formats);
    t->headers = headers;
    t->formats = formats;
}

int cli_table_add(cli_table *t, const char *const *cells)
{
    size_t base = t->rows * t->columns;

    if (t->rows == t->capacity) {
        size_t cap = t->capacity ? 2 * t->capacity : 16;
        char **grown = realloc(t->cells, cap * t->columns * sizeof *grown);
        if (!grown) {
            fprintf(stderr, "nearjob: out of memory\n");
            return CLI_FAILED;
        }
        t->cells = grown;
        t->capacity = cap;
    }
    for (size_t c = 0; c < t->columns; c++) {
        size_t len = strlen(cells[c]);
        t->cells[base + c] = malloc(len + 1);
        if (!t->cells[base + c]) {
            while (c-- > 0)
                free(t->cells[base + c]);
            fprintf(stderr, "nearjob: out of memory\n");
            return CLI_FAILED;
        }
        memcpy(t->cells[base + c], cells[c], len + 1);
    }
    t->rows++;
    return CLI_OK;
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->rows * t->columns; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* Columns a terminal gives one code point: 2 for East Asian wide ones
 * (Hangul syllables, CJK), 0 for combining marks and medial jamo. */
static size_t code_point_width(uint32_t c)
{
    if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x1160 && c <= 0x11FF))
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

static size_t display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t width = 0;

    while (*p) {
        uint32_t c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        if (more)
            c &= 0x3Fu >> more;
        for (; more > 0 && (*p & 0xC0) == 0x80; more--)
            c = (c << 6) | (*p++ & 0x3Fu);
        width += code_point_width(c);
    }
    return width;
}

/* "-1234567.5" -> "-1,234,567.5"; anything but a decimal is kept. */
static const char *group_digits(const char *cell, char *buf, size_t size)
{
    size_t sign = cell[0] == '-', digits = 0, used = 0;

    while (cell[sign + digits] >= '0' && cell[sign + digits] <= '9')
        digits++;
    if (digits == 0 || (cell[sign + digits] != '\0' && cell[sign + digits] != '.') ||
        strlen(cell) + digits / 3 + 1 > size)
        return cell;
    if (sign)
        buf[used++] = '-';
    for (size_t i = 0; i < digits; i++) {
        if (i > 0 && (digits - i) % 3 == 0)
            buf[used++] = ',';
        buf[used++] = cell[sign + i];
    }
    strcpy(buf + used, cell + sign + digits);
    return buf;
}

/* Minutes "6020" -> "100:20". */
static const char *hours_minutes(const char *cell, char *buf, size_t size)
{
    char *end;
    long long minutes = strtoll(cell, &end, 10);
    char hours[32];

    if (*cell == '\0' || *end != '\0' || minutes < 0)
        return cell;
    snprintf(hours, sizeof hours, "%lld", minutes / 60);
    group_digits(hours, buf, size);
    snprintf(buf + strlen(buf), size - strlen(buf), ":%02lld", minutes % 60);
    return buf;
}

static const char *shown(const cli_table *t, size_t column, const char *cell,
                         char *buf, size_t size)
{
    switch (t->formats[column]) {
    case 'n': return group_digits(cell, buf, size);
    case 'm': return hours_minutes(cell, buf, size);
    default: return cell;
    }
}

/* The header of a column: "aligned|csv" gives each form its own. */
static const char *header(const cli_table *t, size_t column, int csv,
                          char *buf, size_t size)
{
    const char *h = t->headers[column], *bar = strchr(h, '|');
    size_t len = bar ? (size_t)(bar - h) : 0;

    if (!bar)
        return h;
    if (csv)
        return bar + 1;
    len = len < size ? len : size - 1;
    memcpy(buf, h, len);
    buf[len] = '\0';
    return buf;
}

static void print_padded(FILE *out, const char *text, size_t width, int right,
                         int last)
{
    size_t pad = width - display_width(text);

    if (right)
        fprintf(out, "%*s%s", (int)pad, "", text);
    else
        fprintf(out, "%s%*s", text, last ? 0 : (int)pad, "");
}

static void print_aligned(const cli_table *t, FILE *out)
{
    size_t *width = calloc(t->columns ? t->columns : 1, sizeof *width);
    char buf[64];

    if (!width) {
        fprintf(stderr, "nearjob: out of memory\n");
        return;
    }
    for (size_t c = 0; c < t->columns; c++) {
        width[c] = display_width(header(t, c, 0, buf, sizeof buf));
        for (size_t r = 0; r < t->rows; r++) {
            size_t w = display_width(shown(t, c, t->cells[r * t->columns + c],
                                           buf, sizeof buf));
            width[c] = w > width[c] ? w : width[c];
        }
    }
    for (size_t r = 0; r <= t->rows; r++) {
        for (size_t c = 0; c < t->columns; c++) {
            const char *cell = r == 0 ? header(t, c, 0, buf, sizeof buf)
                                      : shown(t, c, t->cells[(r - 1) * t->columns + c],
                                              buf, sizeof buf);
            if (c > 0)
                fputs("  ", out);
            print_padded(out, cell, width[c], t->formats[c] != 'l',
                         c + 1 == t->columns);
        }
        fputc('\n', out);
    }
    free(width);
}

void cli_csv_field(FILE *out, const char *text, int free_text)
{
    int formula = free_text && text[0] != '\0' && strchr("=+-@\t\r", text[0]);

    if (!strpbrk(text, ",\"\r\n")) {
        fprintf(out, "%s%s", formula ? "'" : "", text);
        return;
    }
    fprintf(out, "\"%s", formula ? "'" : "");
    for (; *text; text++) {
        if (*text == '"')
            fputc('"', out);
        fputc(*text, out);
    }
    fputc('"', out);
}

void cli_table_print(const cli_table *t, FILE *out, int csv)
{
    if (!csv) {
        print_aligned(t, out);
        return;
    }
    for (size_t r = 0; r <= t->rows; r++) {
        for (size_t c = 0; c < t->columns; c++) {
            if (c > 0)
                fputc(',', out);
            if (r == 0)
                cli_csv_field(out, header(t, c, 1, NULL, 0), 0);
            else
                cli_csv_field(out, t->cells[(r - 1) * t->columns + c],
                              t->formats[c] == 'l');
        }
        fputc('\n', out);
    }
}

void cli_json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}
