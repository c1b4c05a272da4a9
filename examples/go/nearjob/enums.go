package nearjob

// #include <nearjob.h>
import "C"

import (
	"fmt"
	"time"
)

// Date is a calendar date as the integer YYYYMMDD (20240229), the form the
// library stores; 0 means "none" where a field allows it.
type Date int32

// DateOf returns the Date of a year, month and day. It does not check the
// date: see Valid.
func DateOf(year int, month time.Month, day int) Date {
	return Date(year*10000 + int(month)*100 + day)
}

// Valid reports whether d is a calendar date between 19000101 and 29991231
// (20240229 is, 20230229 is not).
func (d Date) Valid() bool { return C.nj_date_is_valid(C.int32_t(d)) == 1 }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
}

// Level is a region's level in the province / district / neighbourhood tree.
type Level int32

// Region levels (nj_region_level); a parent's level is always smaller.
const (
	RegionProvince      Level = C.NJ_REGION_PROVINCE      // 시·도
	RegionDistrict      Level = C.NJ_REGION_DISTRICT      // 시·군·구
	RegionNeighbourhood Level = C.NJ_REGION_NEIGHBOURHOOD // 읍·면·동 (administrative dong)
)

// FacilityKind is the kind of a facility (nj_facility_kind).
type FacilityKind int32

// Facility kinds.
const (
	FacilityLibrary                FacilityKind = C.NJ_FACILITY_LIBRARY                  // 도서관
	FacilityWelfareCentre          FacilityKind = C.NJ_FACILITY_WELFARE_CENTRE           // 복지관
	FacilityChildrensCentre        FacilityKind = C.NJ_FACILITY_CHILDRENS_CENTRE         // 지역아동센터, 키움센터
	FacilitySeniorCentre           FacilityKind = C.NJ_FACILITY_SENIOR_CENTRE            // 경로당, 노인복지관
	FacilityCommunityServiceCentre FacilityKind = C.NJ_FACILITY_COMMUNITY_SERVICE_CENTRE // 행정복지센터
	FacilityYouthCentre            FacilityKind = C.NJ_FACILITY_YOUTH_CENTRE             // 청소년수련관
	FacilityOther                  FacilityKind = C.NJ_FACILITY_OTHER                    // anything else
)

// ProgrammeType is a programme category of the local job-target disclosure
// system (nj_programme_type); values from ProgrammeCustomBase on are the
// caller's own.
type ProgrammeType int32

// Programme types.
const (
	// ProgrammeAll is the type of statistics rows, targets and actuals that
	// cover every programme (a district's "jobs total").
	ProgrammeAll                       ProgrammeType = C.NJ_PROGRAMME_ALL
	ProgrammeDirectJobs                ProgrammeType = C.NJ_PROGRAMME_DIRECT_JOBS                 // 직접일자리
	ProgrammeVocationalTraining        ProgrammeType = C.NJ_PROGRAMME_VOCATIONAL_TRAINING         // 직업능력개발훈련
	ProgrammeEmploymentServices        ProgrammeType = C.NJ_PROGRAMME_EMPLOYMENT_SERVICES         // 고용서비스
	ProgrammeEmploymentSubsidies       ProgrammeType = C.NJ_PROGRAMME_EMPLOYMENT_SUBSIDIES        // 고용장려금
	ProgrammeStartupSupport            ProgrammeType = C.NJ_PROGRAMME_STARTUP_SUPPORT             // 창업지원
	ProgrammeUnemploymentIncomeSupport ProgrammeType = C.NJ_PROGRAMME_UNEMPLOYMENT_INCOME_SUPPORT // 실업소득 유지·지원
	ProgrammeJobInfrastructure         ProgrammeType = C.NJ_PROGRAMME_JOB_INFRASTRUCTURE          // 일자리 인프라
	ProgrammeOther                     ProgrammeType = C.NJ_PROGRAMME_OTHER                       // 기타
	ProgrammeCustomBase                ProgrammeType = C.NJ_PROGRAMME_CUSTOM_BASE                 // first caller-defined type
)

// PostingStatus says whether a posting accepts applications.
type PostingStatus int32

// Posting statuses.
const (
	PostingOpen   PostingStatus = C.NJ_POSTING_OPEN   // accepting applications
	PostingClosed PostingStatus = C.NJ_POSTING_CLOSED // closed by the caller or by early close
)

// MatchTarget is the index a radius query searches.
type MatchTarget int32

// Radius query targets.
const (
	MatchParticipants MatchTarget = C.NJ_MATCH_PARTICIPANTS // participants' verified homes
	MatchPostings     MatchTarget = C.NJ_MATCH_POSTINGS     // postings, at their facility
)

// Order is the order of a radius query's rows.
type Order int32

// Row orders.
const (
	OrderNone     Order = C.NJ_ORDER_NONE     // unspecified (fastest)
	OrderDistance Order = C.NJ_ORDER_DISTANCE // nearest first, equal distances by id
)

// MatchFlag is a flag of MatchForPosting and MatchBatch.
type MatchFlag uint32

// MatchSkipCapped skips residents with no stipend minutes left under the cap
// in the ledger period of the posting's work start (or of the date given).
const MatchSkipCapped MatchFlag = C.NJ_MATCH_SKIP_CAPPED

// MaxRadiusM is half the circumference of the library's sphere, in metres:
// a query radius this large covers the Earth.
const MaxRadiusM = C.NJ_MAX_RADIUS_M

// ApplicationStatus is the status of an application.
type ApplicationStatus int32

// Application statuses.
const (
	ApplicationApplied    ApplicationStatus = C.NJ_APPLICATION_APPLIED    // received, not yet selected
	ApplicationWithdrawn  ApplicationStatus = C.NJ_APPLICATION_WITHDRAWN  // withdrawn by the applicant
	ApplicationSelected   ApplicationStatus = C.NJ_APPLICATION_SELECTED   // holds one of the slots
	ApplicationWaitlisted ApplicationStatus = C.NJ_APPLICATION_WAITLISTED // not selected; promoted in rank order
)

// SelectionMethod is how ties in paid minutes are broken at selection.
type SelectionMethod int32

// Selection methods.
const (
	SelectLottery   SelectionMethod = C.NJ_SELECT_LOTTERY    // seeded lottery
	SelectFirstCome SelectionMethod = C.NJ_SELECT_FIRST_COME // order of application
)

// Option is a registry option (nj_stipend_option and nj_io_option); see
// Registry.SetOption and OptionBounds.
type Option int32

// Registry options.
const (
	OptStipendCapMinutes   Option = C.NJ_OPT_STIPEND_CAP_MINUTES    // per person per period; default 6000
	OptPeriodStartMMDD     Option = C.NJ_OPT_PERIOD_START_MMDD      // first day of a period as MMDD; default 101
	OptBudgetKRW           Option = C.NJ_OPT_BUDGET_KRW             // programme budget per period; 0 = none
	OptRounding            Option = C.NJ_OPT_ROUNDING               // a Rounding; default RoundFloor
	OptImportMaxBytes      Option = C.NJ_OPT_IMPORT_MAX_BYTES       // import input size; default 1 GiB
	OptImportMaxRows       Option = C.NJ_OPT_IMPORT_MAX_ROWS        // import data rows; default 10 000 000
	OptImportMaxFieldBytes Option = C.NJ_OPT_IMPORT_MAX_FIELD_BYTES // one cell or JSON string; default 16 MiB
)

// Rounding is how an entry's stipend is rounded to whole won (the value of
// OptRounding).
type Rounding int64

// Rounding rules.
const (
	RoundFloor  Rounding = C.NJ_ROUND_FLOOR   // down to the won
	RoundHalfUp Rounding = C.NJ_ROUND_HALF_UP // to the nearest won, halves up
)

// FollowOnKind is what a placed participant did next.
type FollowOnKind int32

// Follow-on kinds.
const (
	FollowOnApplied FollowOnKind = C.NJ_FOLLOW_ON_APPLIED // applied to a private-sector job
	FollowOnHired   FollowOnKind = C.NJ_FOLLOW_ON_HIRED   // took a private-sector job
)

// Measure is a figure of a statistics row (nj_measure).
type Measure int32

// Measures of Stats.Value.
const (
	MeasureTarget            Measure = C.NJ_MEASURE_TARGET             // target count (0 when none set)
	MeasureHasTarget         Measure = C.NJ_MEASURE_HAS_TARGET         // 1 when a target is set
	MeasureAchieved          Measure = C.NJ_MEASURE_ACHIEVED           // placements + recorded jobs
	MeasurePlacements        Measure = C.NJ_MEASURE_PLACEMENTS         // selected applications
	MeasureRecordedJobs      Measure = C.NJ_MEASURE_RECORDED_JOBS      // jobs of RecordActual
	MeasurePersons           Measure = C.NJ_MEASURE_PERSONS            // distinct participants placed
	MeasureSurplus           Measure = C.NJ_MEASURE_SURPLUS            // achieved - target
	MeasureApplicants        Measure = C.NJ_MEASURE_APPLICANTS         // applications received
	MeasureSlots             Measure = C.NJ_MEASURE_SLOTS              // slots of the postings
	MeasurePostings          Measure = C.NJ_MEASURE_POSTINGS           // postings
	MeasureWorkedMinutes     Measure = C.NJ_MEASURE_WORKED_MINUTES     // minutes of non-void entries
	MeasurePaidMinutes       Measure = C.NJ_MEASURE_PAID_MINUTES       // of which paid under the cap
	MeasureOverCapMinutes    Measure = C.NJ_MEASURE_OVER_CAP_MINUTES   // of which over the cap
	MeasureAmountKRW         Measure = C.NJ_MEASURE_AMOUNT_KRW         // stipend paid
	MeasurePaidPersons       Measure = C.NJ_MEASURE_PAID_PERSONS       // distinct participants paid
	MeasureForeignPlacements Measure = C.NJ_MEASURE_FOREIGN_PLACEMENTS // placements of foreign residents
	MeasureFollowOnApplied   Measure = C.NJ_MEASURE_FOLLOW_ON_APPLIED  // placed persons who applied on
	MeasureFollowOnHired     Measure = C.NJ_MEASURE_FOLLOW_ON_HIRED    // placed persons hired on
	MeasureAgeYouth          Measure = C.NJ_MEASURE_AGE_YOUTH          // placements aged 19-34
	MeasureAgeMiddle         Measure = C.NJ_MEASURE_AGE_MIDDLE         // placements aged 50-64
	MeasureAgeSenior         Measure = C.NJ_MEASURE_AGE_SENIOR         // placements aged 65+
	MeasureAgeOther          Measure = C.NJ_MEASURE_AGE_OTHER          // placements aged 0-18 or 35-49
	// MeasureAgeDecadeBase + d counts placements aged 10d to 10d+9 (d = 0..8),
	// + 9 those aged 90 and over; see MeasureAgeDecade.
	MeasureAgeDecadeBase Measure = C.NJ_MEASURE_AGE_DECADE_BASE
	// MeasureFacilityKindBase + kind counts placements at facilities of that
	// kind; see MeasureFacilityKind.
	MeasureFacilityKindBase Measure = C.NJ_MEASURE_FACILITY_KIND_BASE
)

// MeasureAgeDecade is the measure of placements aged 10*decade to
// 10*decade+9 (decade 9: 90 and over).
func MeasureAgeDecade(decade int) Measure { return MeasureAgeDecadeBase + Measure(decade) }

// MeasureFacilityKind is the measure of placements at facilities of kind k.
func MeasureFacilityKind(k FacilityKind) Measure { return MeasureFacilityKindBase + Measure(k) }

// RatioKind is an exact ratio of a statistics row (nj_ratio).
type RatioKind int32

// Ratios of Stats.Ratio, with the unit of their rounded value.
const (
	RatioAttainment      RatioKind = C.NJ_RATIO_ATTAINMENT        // achieved / target, in 0.1 %
	RatioCompetition     RatioKind = C.NJ_RATIO_COMPETITION       // applicants / slots, in 0.01
	RatioFillRate        RatioKind = C.NJ_RATIO_FILL_RATE         // placements / slots, in 0.1 %
	RatioFollowOnApplied RatioKind = C.NJ_RATIO_FOLLOW_ON_APPLIED // follow-on applied / persons, in 0.1 %
	RatioFollowOnHired   RatioKind = C.NJ_RATIO_FOLLOW_ON_HIRED   // follow-on hired / persons, in 0.1 %
)

// TableKind is a table Stats.Publish builds (nj_stats_table_kind).
type TableKind int32

// Published tables.
const (
	TableAttainment               TableKind = C.NJ_TABLE_ATTAINMENT                  // attainment by region and programme
	TablePlacementsByProgramme    TableKind = C.NJ_TABLE_PLACEMENTS_BY_PROGRAMME     // regions x programme types
	TablePlacementsByAgeDecade    TableKind = C.NJ_TABLE_PLACEMENTS_BY_AGE_DECADE    // regions x 0-9 .. 90+
	TablePlacementsByAgeBand      TableKind = C.NJ_TABLE_PLACEMENTS_BY_AGE_BAND      // regions x youth, middle, senior, other
	TablePlacementsByResidency    TableKind = C.NJ_TABLE_PLACEMENTS_BY_RESIDENCY     // regions x national, foreign
	TablePlacementsByFacilityKind TableKind = C.NJ_TABLE_PLACEMENTS_BY_FACILITY_KIND // regions x facility kinds
)

// CellState is the state of a published table cell (nj_cell_state).
type CellState int32

// Cell states.
const (
	CellPublished           CellState = C.NJ_CELL_PUBLISHED            // the value is published
	CellSuppressed          CellState = C.NJ_CELL_SUPPRESSED           // a count in 1 .. k-1
	CellSuppressedSecondary CellState = C.NJ_CELL_SUPPRESSED_SECONDARY // hidden to protect another cell
	CellUndefined           CellState = C.NJ_CELL_UNDEFINED            // a ratio with a zero denominator
)

// StatsCountMax is the largest target, job count or count of a statistics
// cell.
const StatsCountMax = C.NJ_STATS_COUNT_MAX

// CSVObject is the object type of a CSV file (nj_csv_object).
type CSVObject int32

// CSV object types; docs/csv.md gives every schema.
const (
	CSVRegions      CSVObject = C.NJ_CSV_REGIONS
	CSVFacilities   CSVObject = C.NJ_CSV_FACILITIES
	CSVPostings     CSVObject = C.NJ_CSV_POSTINGS
	CSVParticipants CSVObject = C.NJ_CSV_PARTICIPANTS
	CSVApplications CSVObject = C.NJ_CSV_APPLICATIONS
	CSVWorkEntries  CSVObject = C.NJ_CSV_WORK_ENTRIES
	CSVTargets      CSVObject = C.NJ_CSV_TARGETS
)

// Encoding is the encoding of an imported CSV file (nj_encoding).
type Encoding int32

// CSV encodings.
const (
	EncodingUTF8  Encoding = C.NJ_ENCODING_UTF8  // UTF-8, with or without a byte-order mark
	EncodingCP949 Encoding = C.NJ_ENCODING_CP949 // CP949 (Windows Korean)
	EncodingAuto  Encoding = C.NJ_ENCODING_AUTO  // UTF-8 when valid or with a BOM, else CP949
)
