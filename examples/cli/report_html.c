/*
 * The HTML report (report.h): one self-contained page, inline CSS and SVG,
 * no script, no external asset. Every string from the registry is escaped.
 */
#include <nearjob.h>

#include <stdio.h>
#include <string.h>

#include "report.h"

#define CHART_WIDTH 900
#define CHART_ROW 58
#define CHART_LABEL 230
#define CHART_BARS 520

static const char *const programme_names[] = {
    "전체 일자리", "직접일자리", "직업능력개발훈련", "고용서비스", "고용장려금",
    "창업지원", "실업소득 유지·지원", "일자리 인프라", "기타"};

static const char *programme_name(int32_t type)
{
    return type >= 0 && type <= NJ_PROGRAMME_OTHER ? programme_names[type]
                                                   : "사용자 정의 유형";
}

void report_escape(FILE *out, const char *text)
{
    for (const char *c = text ? text : ""; *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*c, out);
        }
    }
}

static void write_head(FILE *out, const report_figures *fig)
{
    fputs("<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>", out);
    report_escape(out, fig->district_name ? fig->district_name : "nearjob");
    fprintf(out, " %d 일자리 사업 보고서</title>\n<style>\n", fig->year);
    fputs("body{font-family:\"Noto Sans CJK KR\",\"Noto Sans KR\",\"NanumGothic\","
          "\"Nanum Gothic\",\"Malgun Gothic\",\"Apple SD Gothic Neo\",sans-serif;"
          "margin:0 auto;max-width:960px;padding:24px;color:#1f2933;background:#fff}\n"
          "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;"
          "border-bottom:2px solid #d9e2ec;padding-bottom:4px}\n"
          ".sub{color:#52606d;margin:0 0 16px}\n"
          ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));"
          "gap:10px}\n.card{border:1px solid #d9e2ec;border-radius:8px;padding:10px 12px}\n"
          ".card .k{font-size:13px;color:#52606d}.card .v{font-size:22px;font-weight:700}\n"
          "table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}\n"
          "th,td{border-bottom:1px solid #e4e7eb;padding:4px 8px;text-align:right}\n"
          "th:first-child,td:first-child{text-align:left}th{background:#f5f7fa}\n"
          "td.x{color:#9aa5b1;font-style:italic}\n"
          "svg text{font-family:inherit}\n.note{font-size:13px;color:#52606d}\n"
          "footer{margin-top:32px;font-size:12px;color:#7b8794}\n"
          "</style>\n</head>\n<body>\n", out);
}

static void write_title(FILE *out, const report_figures *fig)
{
    fputs("<header>\n<h1>", out);
    report_escape(out, fig->district_name ? fig->district_name : "nearjob");
    fprintf(out, " %d년 일자리 사업 보고서</h1>\n<p class=\"sub\">목표 대비 실적, "
            "공고와 선발, 생활임금 수당 — nearjob %s</p>\n</header>\n",
            fig->year, nj_version_string());
}

static void write_card(FILE *out, const char *key, const char *value,
                       const char *id)
{
    fprintf(out, "<div class=\"card\"><div class=\"k\">%s</div>"
            "<div class=\"v\" id=\"%s\">%s</div></div>\n", key, id, value);
}

static void write_cards(FILE *out, const report_figures *fig)
{
    char v[64], n[32];

    fputs("<section>\n<h2>한눈에 보기</h2>\n<div class=\"cards\">\n", out);
    write_card(out, "행정동", report_format_int(v, sizeof v,
               (int64_t)fig->district_neighbourhoods), "neighbourhoods");
    write_card(out, "참여 시설", report_format_int(v, sizeof v,
               (int64_t)fig->facilities), "facilities");
    write_card(out, "공고", report_format_int(v, sizeof v, fig->postings), "postings");
    write_card(out, "모집 인원", report_format_int(v, sizeof v, fig->slots), "slots");
    write_card(out, "지원자", report_format_int(v, sizeof v, fig->applicants),
               "applicants");
    snprintf(v, sizeof v, "%s : 1",
             report_format_scaled(n, sizeof n, fig->competition_hundredths, 100));
    write_card(out, "경쟁률", v, "competition");
    write_card(out, "선발", report_format_int(v, sizeof v, fig->placements), "placed");
    snprintf(v, sizeof v, "%s원", report_format_int(n, sizeof n, fig->amount_krw));
    write_card(out, "수당 지급액", v, "amount");
    snprintf(v, sizeof v, "%s명", report_format_int(n, sizeof n, (int64_t)fig->cap_hits));
    write_card(out, "상한 도달", v, "cap-hits");
    if (fig->has_target)
        snprintf(v, sizeof v, "%s%%",
                 report_format_scaled(n, sizeof n, fig->attainment_tenths, 10));
    else
        snprintf(v, sizeof v, "목표 없음");
    write_card(out, "목표 달성률", v, "attainment");
    fputs("</div>\n</section>\n", out);
}

/* ---- target vs achieved ------------------------------------------------ */

typedef struct attainment_row {
    int32_t year, type;
    int has_target;
    int64_t target, achieved, tenths;
} attainment_row;

static int read_attainment_row(const nj_stats *s, size_t i,
                               const report_figures *fig, attainment_row *a)
{
    int64_t region, has_target = 0;

    if (nj_stats_row_key(s, i, &a->year, &region, &a->type) != NJ_OK ||
        region != fig->district_id)
        return 0;
    nj_stats_row_value(s, i, NJ_MEASURE_HAS_TARGET, &has_target);
    nj_stats_row_value(s, i, NJ_MEASURE_TARGET, &a->target);
    nj_stats_row_value(s, i, NJ_MEASURE_ACHIEVED, &a->achieved);
    a->has_target = has_target != 0;
    a->tenths = 0;
    if (a->has_target)
        nj_stats_row_ratio(s, i, NJ_RATIO_ATTAINMENT, NULL, NULL, &a->tenths);
    return a->has_target || a->achieved > 0;
}

static size_t count_attainment_rows(const nj_stats *s, const report_figures *fig)
{
    attainment_row a;
    size_t n = 0;

    for (size_t i = 0; i < nj_stats_row_count(s); i++)
        n += read_attainment_row(s, i, fig, &a);
    return n;
}

static void write_bar(FILE *out, double y, int64_t value, int64_t scale_max,
                      const char *colour, const char *label)
{
    char num[32];
    double w = scale_max > 0 ? (double)CHART_BARS * (double)value / (double)scale_max : 0;

    fprintf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"16\" "
            "fill=\"%s\"/>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\">%s %s</text>\n",
            CHART_LABEL, y, w, colour, CHART_LABEL + w + 6, y + 13, label,
            report_format_int(num, sizeof num, value));
}

static void write_chart_row(FILE *out, const attainment_row *a, double y)
{
    int64_t max = a->target > a->achieved ? a->target : a->achieved;
    char pct[32];

    fprintf(out, "<text x=\"0\" y=\"%.1f\" font-size=\"14\" font-weight=\"700\">%d "
            "%s</text>\n", y + 20, a->year, programme_name(a->type));
    if (a->has_target) {
        fprintf(out, "<text x=\"0\" y=\"%.1f\" font-size=\"13\" fill=\"#2f6f3e\">"
                "달성률 %s%%</text>\n", y + 38,
                report_format_scaled(pct, sizeof pct, a->tenths, 10));
        write_bar(out, y + 4, a->target, max, "#9aa5b1", "목표");
    }
    write_bar(out, y + 24, a->achieved, max, "#2680c2", "실적");
}

static void write_attainment_table(FILE *out, const nj_stats *s,
                                   const report_figures *fig)
{
    attainment_row a;
    char t[32], v[32], p[32], d[32];

    fputs("<table>\n<tr><th>연도</th><th>사업 유형</th><th>목표</th><th>실적</th>"
          "<th>달성률</th><th>초과(부족)</th></tr>\n", out);
    for (size_t i = 0; i < nj_stats_row_count(s); i++) {
        if (!read_attainment_row(s, i, fig, &a))
            continue;
        fprintf(out, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td>%s%s</td><td>%s</td></tr>\n", a.year, programme_name(a.type),
                a.has_target ? report_format_int(t, sizeof t, a.target) : "–",
                report_format_int(v, sizeof v, a.achieved),
                a.has_target ? report_format_scaled(p, sizeof p, a.tenths, 10) : "–",
                a.has_target ? "%" : "",
                a.has_target ? report_format_int(d, sizeof d, a.achieved - a.target)
                             : "–");
    }
    fputs("</table>\n", out);
}

static void write_attainment(FILE *out, const nj_stats *s, const report_figures *fig)
{
    size_t n = count_attainment_rows(s, fig), drawn = 0;
    attainment_row a;

    fputs("<section>\n<h2>연도·사업 유형별 목표 대비 실적</h2>\n", out);
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\" "
            "viewBox=\"0 0 %d %zu\" role=\"img\" aria-label=\"목표 대비 실적 막대 "
            "그래프\">\n", CHART_WIDTH, n * CHART_ROW + 4, CHART_WIDTH,
            n * CHART_ROW + 4);
    for (size_t i = 0; i < nj_stats_row_count(s); i++)
        if (read_attainment_row(s, i, fig, &a))
            write_chart_row(out, &a, (double)(drawn++ * CHART_ROW));
    fputs("</svg>\n<p class=\"note\">회색 막대는 목표, 파란 막대는 실적입니다. 막대의 "
          "길이는 행마다 목표와 실적 중 큰 값에 맞춘 비율입니다. 실적 = 선발(배치) + "
          "다른 사업에서 기록한 일자리.</p>\n", out);
    write_attainment_table(out, s, fig);
    fputs("</section>\n", out);
}

/* ---- published tables -------------------------------------------------- */

static size_t column_index(const nj_stats_table *t, const char *name)
{
    for (size_t c = 0; c < nj_stats_table_column_count(t); c++)
        if (strcmp(nj_stats_table_column_name(t, c), name) == 0)
            return c;
    return (size_t)-1;
}

static void write_cell(FILE *out, const nj_stats_table *t, size_t row,
                       size_t column)
{
    int64_t value = 0;
    int32_t state = 0;
    char text[32];

    if (nj_stats_table_cell(t, row, column, &value, &state) != NJ_OK)
        state = NJ_CELL_UNDEFINED;
    if (state == NJ_CELL_PUBLISHED)
        fprintf(out, "<td>%s</td>", report_format_scaled(text, sizeof text, value,
                                                         nj_stats_table_column_scale(t, column)));
    else if (state == NJ_CELL_UNDEFINED)
        fputs("<td>–</td>", out);
    else
        fputs("<td class=\"x\">x</td>", out);
}

static int row_in_district(const nj_registry *reg, const nj_stats_table *t,
                           size_t row, const report_figures *fig)
{
    int64_t region;
    int32_t type;
    const nj_region *r;

    if (nj_stats_table_row(t, row, &region, &type, NULL) != NJ_OK ||
        type != NJ_PROGRAMME_ALL)
        return 0;
    if (region == 0)
        return 1; /* the totals row */
    r = nj_region_get(reg, region);
    return r && nj_region_is_within(r, nj_region_get(reg, fig->district_id));
}

static void write_table_rows(FILE *out, const nj_registry *reg,
                             const nj_stats_table *t, const report_figures *fig,
                             const size_t *columns, size_t n_columns)
{
    for (size_t r = 0; r < nj_stats_table_row_count(t); r++) {
        const char *label = NULL;
        if (!row_in_district(reg, t, r, fig))
            continue;
        nj_stats_table_row(t, r, NULL, NULL, &label);
        fputs("<tr><td>", out);
        report_escape(out, strcmp(label, "total") == 0 ? "합계" : label);
        fputs("</td>", out);
        for (size_t c = 0; c < n_columns; c++)
            write_cell(out, t, r, columns[c]);
        fputs("</tr>\n", out);
    }
}

/* A published table of the year at neighbourhood level, some columns. */
static int write_published(FILE *out, const nj_registry *reg, const nj_stats *s,
                           const report_figures *fig, int32_t kind,
                           const char *const *keys, const char *const *heads,
                           size_t n)
{
    nj_stats_table *t = NULL;
    size_t columns[16];

    if (nj_stats_publish(s, fig->year, NJ_REGION_NEIGHBOURHOOD, kind,
                         REPORT_SUPPRESSION_K, &t) != NJ_OK) {
        fprintf(stderr, "nearjob: publishing a table failed\n");
        return -1;
    }
    fputs("<table>\n<tr><th>행정동</th>", out);
    for (size_t c = 0; c < n && c < 16; c++) {
        columns[c] = column_index(t, keys[c]);
        fprintf(out, "<th>%s</th>", heads[c]);
    }
    fputs("</tr>\n", out);
    write_table_rows(out, reg, t, fig, columns, n < 16 ? n : 16);
    fputs("</table>\n", out);
    nj_stats_table_destroy(t);
    return 0;
}

static int write_competition(FILE *out, const nj_registry *reg, const nj_stats *s,
                             const report_figures *fig)
{
    static const char *const keys[] = {"slots", "applicants", "competition_ratio",
                                       "placements", "fill_rate_pct", "amount_krw"};
    static const char *const heads[] = {"모집 인원", "지원자", "경쟁률",
                                        "선발", "충원율(%)", "수당(원)"};

    fputs("<section>\n<h2>행정동별 경쟁률과 선발</h2>\n<p class=\"note\">시설이 "
          "있는 행정동 기준. 3 미만의 작은 값은 x로 가렸습니다(2차 보호 포함).</p>\n",
          out);
    if (write_published(out, reg, s, fig, NJ_TABLE_ATTAINMENT, keys, heads, 6) != 0)
        return -1;
    fputs("</section>\n", out);
    return 0;
}

static void write_stipend(FILE *out, const report_figures *fig)
{
    char a[48], b[48], c[48], d[32];

    fprintf(out, "<section>\n<h2>생활임금 수당과 시간 상한</h2>\n<table>\n"
            "<tr><th>항목</th><th>값</th></tr>\n"
            "<tr><td>근무 시간</td><td>%s</td></tr>\n"
            "<tr><td>지급 시간</td><td>%s</td></tr>\n"
            "<tr><td>상한 초과(미지급) 시간</td><td id=\"over-cap\">%s</td></tr>\n"
            "<tr><td>수당 지급액</td><td>%s원</td></tr>\n",
            report_format_hours(a, sizeof a, fig->worked_minutes, "시간", "분"),
            report_format_hours(b, sizeof b, fig->paid_minutes, "시간", "분"),
            report_format_hours(c, sizeof c, fig->over_cap_minutes, "시간", "분"),
            report_format_int(d, sizeof d, fig->amount_krw));
    fprintf(out, "<tr><td>수당을 받은 주민</td><td>%zu명</td></tr>\n"
            "<tr><td>1인 상한(%s)에 도달한 주민</td><td>%zu명</td></tr>\n"
            "<tr><td>상한을 넘겨 일한 주민</td><td>%zu명</td></tr>\n</table>\n"
            "<p class=\"note\">상한을 넘긴 시간은 장부에 남지만 지급되지 않습니다. "
            "개인별 값은 싣지 않습니다.</p>\n</section>\n",
            fig->paid_persons,
            report_format_hours(a, sizeof a, fig->cap_minutes, "시간", "분"),
            fig->cap_hits, fig->over_cap_persons);
}

static int write_groups(FILE *out, const nj_registry *reg, const nj_stats *s,
                        const report_figures *fig)
{
    static const char *const age_keys[] = {"youth_19_34", "middle_50_64",
                                           "senior_65_plus", "other_ages", "total"};
    static const char *const age_heads[] = {"청년 19–34", "중장년 50–64", "노인 65+",
                                            "그 밖의 나이", "합계"};
    static const char *const residency_keys[] = {"national", "foreign", "total"};
    static const char *const residency_heads[] = {"내국인", "외국인", "합계"};

    fprintf(out, "<section>\n<h2>행정동별 선발: 연령대와 내·외국인 (공표용)</h2>\n"
            "<p class=\"note\">두 표의 %zu칸 중 %zu칸을 가렸습니다 (k = %d, 행·열 "
            "합계로 되살릴 수 없도록 2차 보호 포함).</p>\n", fig->published_cells,
            fig->suppressed_cells, REPORT_SUPPRESSION_K);
    if (write_published(out, reg, s, fig, NJ_TABLE_PLACEMENTS_BY_AGE_BAND, age_keys,
                        age_heads, 5) != 0 ||
        write_published(out, reg, s, fig, NJ_TABLE_PLACEMENTS_BY_RESIDENCY,
                        residency_keys, residency_heads, 3) != 0)
        return -1;
    fputs("</section>\n", out);
    return 0;
}

static void write_footer(FILE *out)
{
    fputs("<footer>\n<p>행정동 경계: 통계청 SGIS 행정동 경계(공공누리 제1유형)를 "
          "vuski/admdongkor가 가공(CC BY 4.0). 도서관: 전국도서관표준데이터. "
          "이름 끝에 ‘(가상)’이 붙은 시설과 모든 주민·지원·근무 기록은 nearjob demo가 "
          "만든 합성 데이터입니다.</p>\n</footer>\n</body>\n</html>\n", out);
}

int report_html_write(FILE *out, const nj_registry *reg, const nj_stats *stats,
                      const report_figures *fig)
{
    write_head(out, fig);
    write_title(out, fig);
    write_cards(out, fig);
    write_attainment(out, stats, fig);
    if (report_map_write(out, reg, stats, fig) != 0 ||
        write_competition(out, reg, stats, fig) != 0)
        return -1;
    write_stipend(out, fig);
    if (write_groups(out, reg, stats, fig) != 0)
        return -1;
    write_footer(out);
    return 0;
}
