#include "number_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* ---- grammar ------------------------------------------------------------- */

/* Where the parts of a number lie in its text. */
typedef struct number_parts {
    size_t int_start, int_len;   /* digits before the point */
    size_t frac_start, frac_len; /* digits after it */
    int negative;
    int64_t exponent;            /* the e part, saturated at +-1e6 */
    size_t span;                 /* bytes the number covers; 0: none */
} number_parts;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t digit_run(const char *s, size_t pos, size_t len)
{
    size_t start = pos;
    while (pos < len && is_digit(s[pos]))
        pos++;
    return pos - start;
}

/* The exponent after 'e' at s[pos], or pos unchanged when there is none. */
static size_t scan_exponent(const char *s, size_t pos, size_t len,
                            int64_t *exponent)
{
    if (pos >= len || (s[pos] != 'e' && s[pos] != 'E'))
        return pos;
    size_t p = pos + 1;
    int negative = 0;
    if (p < len && (s[p] == '+' || s[p] == '-'))
        negative = s[p++] == '-';
    size_t digits = digit_run(s, p, len);
    if (digits == 0)
        return pos;
    int64_t e = 0;
    for (size_t i = p; i < p + digits; i++)
        if (e < 1000000)
            e = e * 10 + (s[i] - '0');
    *exponent = negative ? -e : e;
    return p + digits;
}

static void scan_number(const char *s, size_t len, int grammar,
                        number_parts *n)
{
    memset(n, 0, sizeof *n);
    size_t pos = 0;
    if (pos < len && (s[pos] == '-' || (s[pos] == '+' && grammar != NJ_NUMBER_JSON)))
        n->negative = s[pos++] == '-';
    n->int_start = pos;
    n->int_len = digit_run(s, pos, len);
    pos += n->int_len;
    if (grammar == NJ_NUMBER_JSON &&
        (n->int_len == 0 || (n->int_len > 1 && s[n->int_start] == '0')))
        return;
    if (pos < len && s[pos] == '.') {
        size_t frac = digit_run(s, pos + 1, len);
        if (frac > 0 || (grammar != NJ_NUMBER_JSON && n->int_len > 0)) {
            n->frac_start = pos + 1;
            n->frac_len = frac;
            pos += 1 + frac;
        }
    }
    if (n->int_len == 0 && n->frac_len == 0)
        return;
    n->span = scan_exponent(s, pos, len, &n->exponent);
}

size_t nj_number_span(const char *s, size_t len, int grammar)
{
    number_parts n;
    scan_number(s, len, grammar, &n);
    return n.span;
}

/* ---- significant digits -------------------------------------------------- */

/* value = digits (as an integer) x 10^exp10, no leading or trailing zeros. */
typedef struct decimal {
    char digits[NJ_NUMBER_MAX_DIGITS];
    int count;
    int64_t exp10;
} decimal;

static char digit_at(const char *s, const number_parts *n, size_t i)
{
    return i < n->int_len ? s[n->int_start + i] : s[n->frac_start + i - n->int_len];
}

static nj_status collect_digits(const char *s, const number_parts *n,
                                decimal *d)
{
    size_t total = n->int_len + n->frac_len, first = 0, end = total;
    while (first < total && digit_at(s, n, first) == '0')
        first++;
    while (end > first && digit_at(s, n, end - 1) == '0')
        end--;
    if (end - first > NJ_NUMBER_MAX_DIGITS)
        return NJ_E_RANGE;
    d->count = (int)(end - first);
    for (int i = 0; i < d->count; i++)
        d->digits[i] = digit_at(s, n, first + (size_t)i);
    /* The last kept digit has weight 10^(exponent - digits after it). */
    d->exp10 = n->exponent - (int64_t)n->frac_len + (int64_t)(total - end);
    return NJ_OK;
}

/* ---- big integers for the exact comparison ------------------------------- */

/* Enough for every comparison the accepted range needs (under 1 300 bits). */
#define BIG_LIMBS 64

typedef struct big {
    uint32_t limb[BIG_LIMBS]; /* little-endian */
    size_t n;
} big;

static void big_set(big *b, uint64_t v)
{
    b->n = 0;
    while (v) {
        b->limb[b->n++] = (uint32_t)v;
        v >>= 32;
    }
}

static void big_mul_add(big *b, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (size_t i = 0; i < b->n; i++) {
        uint64_t x = (uint64_t)b->limb[i] * m + carry;
        b->limb[i] = (uint32_t)x;
        carry = x >> 32;
    }
    if (carry)
        b->limb[b->n++] = (uint32_t)carry;
}

static void big_mul_pow5(big *b, int64_t e)
{
    static const uint32_t pow5_13 = 1220703125u; /* 5^13 < 2^32 */
    for (; e >= 13; e -= 13)
        big_mul_add(b, pow5_13, 0);
    uint32_t rest = 1;
    while (e-- > 0)
        rest *= 5;
    big_mul_add(b, rest, 0);
}

static void big_shl(big *b, int64_t bits)
{
    size_t words = (size_t)(bits / 32);
    unsigned rest = (unsigned)(bits % 32);
    if (b->n == 0)
        return;
    uint32_t top = rest ? b->limb[b->n - 1] >> (32 - rest) : 0;
    for (size_t i = b->n; i-- > 0;) {
        uint32_t low = rest && i > 0 ? b->limb[i - 1] >> (32 - rest) : 0;
        b->limb[i + words] = (b->limb[i] << rest) | low;
    }
    memset(b->limb, 0, words * sizeof b->limb[0]);
    b->n += words;
    if (top)
        b->limb[b->n++] = top;
}

static int big_cmp(const big *a, const big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (size_t i = a->n; i-- > 0;)
        if (a->limb[i] != b->limb[i])
            return a->limb[i] < b->limb[i] ? -1 : 1;
    return 0;
}

/*
 * Compares the decimal d with the midpoint between the positive double a
 * and the next double up: d <=> (2m + 1) x 2^(k - 1) where a = m x 2^k.
 */
static int compare_with_midpoint(const decimal *d, double a)
{
    int ex;
    double f = frexp(a, &ex);
    uint64_t m = (uint64_t)ldexp(f, 53);
    int64_t k = ex - 53;
    big left, right;
    big_set(&left, 0);
    for (int i = 0; i < d->count; i++)
        big_mul_add(&left, 10, (uint32_t)(d->digits[i] - '0'));
    big_set(&right, 2 * m + 1);
    if (d->exp10 >= 0)
        big_mul_pow5(&left, d->exp10);
    else
        big_mul_pow5(&right, -d->exp10);
    /* left carries 2^exp10, right 2^(k - 1): shift the larger power. */
    if (d->exp10 > k - 1)
        big_shl(&left, d->exp10 - (k - 1));
    else
        big_shl(&right, (k - 1) - d->exp10);
    return big_cmp(&left, &right);
}

static int mantissa_is_odd(double a)
{
    int ex;
    return (int)((uint64_t)ldexp(frexp(a, &ex), 53) & 1);
}

/* ---- conversion ---------------------------------------------------------- */

/* x * 10^e, a few ulps off, never passing through infinity or zero for the
 * accepted range. */
static double scale_pow10(double x, int64_t e)
{
    for (; e > 22; e -= 22)
        x *= 1e22;
    for (; e < -22; e += 22)
        x /= 1e22;
    return e >= 0 ? x * exact_pow10[e] : x / exact_pow10[-e];
}

/* The correctly rounded value of a nonzero decimal in the accepted range. */
static double decimal_to_double(const decimal *d)
{
    uint64_t lead = 0;
    int used = d->count < 19 ? d->count : 19;
    for (int i = 0; i < used; i++)
        lead = lead * 10 + (uint64_t)(d->digits[i] - '0');
    int64_t lead_exp = d->exp10 + (d->count - used);
    /* Exact operands and one rounding: Clinger's fast path. */
    if (used == d->count && lead <= (1ULL << 53) && lead_exp >= -22 && lead_exp <= 22)
        return lead_exp >= 0 ? (double)lead * exact_pow10[lead_exp]
                             : (double)lead / exact_pow10[-lead_exp];
    double x = scale_pow10((double)lead, lead_exp);
    for (;;) {
        int up = compare_with_midpoint(d, x);
        if (up > 0 || (up == 0 && mantissa_is_odd(x))) {
            x = nextafter(x, INFINITY);
            continue;
        }
        double below = nextafter(x, 0.0);
        int down = compare_with_midpoint(d, below);
        if (down < 0 || (down == 0 && !mantissa_is_odd(below))) {
            x = below;
            continue;
        }
        return x;
    }
}

/*
 * The common case, "-?digits[.digits]" with at most 15 digits and no
 * exponent, read in one pass: the digits form an integer below 2^53, so
 * one division by an exact power of ten rounds correctly. Returns 0 when
 * the text is anything else (the general path then decides).
 */
static int parse_simple(const char *s, size_t len, int grammar, double *out)
{
    size_t i = s[0] == '-';
    uint64_t v = 0;
    int digits = 0, frac = -1;
    if (len - i == 0 || len - i > 16 || !is_digit(s[i]))
        return 0;
    if (grammar == NJ_NUMBER_JSON && s[i] == '0' && i + 1 < len && s[i + 1] != '.')
        return 0;
    for (; i < len; i++) {
        if (is_digit(s[i])) {
            v = v * 10 + (uint64_t)(s[i] - '0');
            digits++;
            frac += frac >= 0;
        } else if (s[i] == '.' && frac < 0 && i + 1 < len) {
            frac = 0;
        } else {
            return 0;
        }
    }
    if (digits > 15)
        return 0;
    double x = frac > 0 ? (double)v / exact_pow10[frac] : (double)v;
    *out = s[0] == '-' ? -x : x;
    if (*out == 0.0)
        *out = 0.0; /* "-0" gives +0 */
    return 1;
}

nj_status nj_number_parse_double(const char *s, size_t len, int grammar,
                                 double *out)
{
    if (len > 0 && parse_simple(s, len, grammar, out))
        return NJ_OK;
    number_parts n;
    scan_number(s, len, grammar, &n);
    if (n.span == 0 || n.span != len)
        return NJ_E_CORRUPT;
    decimal d;
    if (collect_digits(s, &n, &d) != NJ_OK)
        return NJ_E_RANGE;
    if (d.count == 0) {
        *out = 0.0;
        return NJ_OK;
    }
    int64_t lead = d.exp10 + d.count - 1;
    if (lead > NJ_NUMBER_MAX_EXP10 || lead < NJ_NUMBER_MIN_EXP10)
        return NJ_E_RANGE;
    double x = decimal_to_double(&d);
    *out = n.negative ? -x : x;
    return NJ_OK;
}

nj_status nj_number_parse_int64(const char *s, size_t len, int64_t *out)
{
    size_t pos = 0;
    int negative = 0;
    if (pos < len && (s[pos] == '+' || s[pos] == '-'))
        negative = s[pos++] == '-';
    if (pos == len || digit_run(s, pos, len) != len - pos)
        return NJ_E_CORRUPT;
    /* Accumulate negatively: INT64_MIN has no positive twin. */
    int64_t v = 0;
    for (; pos < len; pos++)
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_sub_overflow(v, s[pos] - '0', &v))
            return NJ_E_RANGE;
    if (!negative && __builtin_sub_overflow((int64_t)0, v, &v))
        return NJ_E_RANGE;
    *out = v;
    return NJ_OK;
}

/* ---- printing ------------------------------------------------------------ */

/* snprintf's decimal point is the locale's (perhaps "," or several bytes):
 * rewrite whatever separates the digits as '.'. */
static size_t normalise_radix(char *buf)
{
    size_t out = 0;
    for (size_t i = 0; buf[i];) {
        char c = buf[i];
        if (is_digit(c) || c == '-' || c == '+' || c == 'e' || c == 'E') {
            buf[out++] = c;
            i++;
            continue;
        }
        buf[out++] = '.';
        while (buf[i] && !is_digit(buf[i]))
            i++;
    }
    buf[out] = '\0';
    return out;
}

/*
 * Coordinates are stored to 1e-7 degree, and most other numbers are whole:
 * when x is exactly the double nearest k / 10^7 for an integer k, the
 * decimal k / 10^7 reads back to x (k below 2^53 is exact and the division
 * is correctly rounded), so print that, without snprintf. Returns 0 when x
 * is not such a number.
 */
static size_t format_e7(char *buf, double x)
{
    if (!(fabs(x) < 9e8))
        return 0;
    int64_t k = (int64_t)llround(x * 1e7);
    if ((double)k / 1e7 != x)
        return 0;
    uint64_t u = k < 0 ? (uint64_t)-k : (uint64_t)k, whole = u / 10000000, frac = u % 10000000;
    size_t len = 0;
    if (k < 0)
        buf[len++] = '-';
    len += nj_number_format_int64(buf + len, (int64_t)whole);
    if (frac) {
        buf[len++] = '.';
        for (uint64_t unit = 1000000; frac; unit /= 10) {
            buf[len++] = (char)('0' + frac / unit);
            frac %= unit;
        }
    }
    buf[len] = '\0';
    return len;
}

size_t nj_number_format_double(char buf[NJ_NUMBER_TEXT_MAX], double x)
{
    if (x == 0.0) {
        memcpy(buf, "0", 2);
        return 1;
    }
    size_t len = format_e7(buf, x);
    if (len > 0)
        return len;
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(buf, NJ_NUMBER_TEXT_MAX, "%.*g", precision, x);
        len = normalise_radix(buf);
        double back;
        if (nj_number_parse_double(buf, len, NJ_NUMBER_LENIENT, &back) == NJ_OK &&
            back == x)
            break;
    }
    return len;
}

size_t nj_number_format_int64(char buf[NJ_NUMBER_TEXT_MAX], int64_t v)
{
    char tmp[NJ_NUMBER_TEXT_MAX];
    size_t n = 0, len = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[len++] = '-';
    while (n > 0)
        buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}
