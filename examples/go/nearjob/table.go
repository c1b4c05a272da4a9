package nearjob

// #include <nearjob.h>
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// ctable is the C published-table type.
type ctable = C.struct_nj_stats_table

// StatsTable is a published statistics table with small cells suppressed.
// It is independent of the Stats it came from. Safe for concurrent use;
// call Close when done.
type StatsTable struct {
	o     owner[ctable]
	alloc *Allocator // the allocator the table frees through, kept alive
}

// Column is a table column: a stable ASCII key ("target", "age_20_29",
// "total", ...) and its scale (a cell's value / scale is the figure: 1 for
// counts, 10 for percentages in tenths, 100 for ratios in hundredths).
type Column struct {
	Name  string // stable ASCII key
	Scale int32  // a cell's value / Scale is the figure
}

// TableRow is a table row: its region (0 for the totals row), programme
// type (0 in cross tables) and label (the region's name, "total" for the
// totals row).
type TableRow struct {
	RegionID      int64         // region, 0 for the totals row
	ProgrammeType ProgrammeType // programme type, 0 in cross tables
	Label         string        // the region's name, "total" for the totals row
}

// Cell is a table cell: its value (0 unless published) and state.
type Cell struct {
	Value int64     // the scaled value, 0 unless State is CellPublished
	State CellState // published, suppressed or undefined
}

func adoptTable(c *ctable, a *Allocator) *StatsTable {
	t := &StatsTable{alloc: a}
	t.o.c = c
	t.o.destroy = func(c *ctable) { C.nj_stats_table_destroy(c) }
	runtime.SetFinalizer(t, (*StatsTable).Close)
	return t
}

// Close frees the table; afterwards every method returns ErrUseAfterClose.
func (t *StatsTable) Close() error {
	t.o.close()
	runtime.SetFinalizer(t, nil)
	return nil
}

// Columns returns the table's columns, totals included.
func (t *StatsTable) Columns() ([]Column, error) {
	var out []Column
	err := t.o.read(func(c *ctable) error {
		out = make([]Column, C.nj_stats_table_column_count(c))
		for i := range out {
			col := C.size_t(i)
			out[i] = Column{C.GoString(C.nj_stats_table_column_name(c, col)),
				int32(C.nj_stats_table_column_scale(c, col))}
		}
		return nil
	})
	return out, err
}

// Rows returns the table's rows, the totals row included.
func (t *StatsTable) Rows() ([]TableRow, error) {
	var out []TableRow
	err := t.o.read(func(c *ctable) error {
		out = make([]TableRow, C.nj_stats_table_row_count(c))
		for i := range out {
			var region C.int64_t
			var programme C.int32_t
			var label *C.char
			if st := Status(C.nj_stats_table_row(c, C.size_t(i), &region, &programme, &label)); st != StatusOK {
				return failure(st, fmt.Sprintf("table row %d", i))
			}
			out[i] = TableRow{int64(region), ProgrammeType(programme), C.GoString(label)}
		}
		return nil
	})
	return out, err
}

// Cell returns one cell; ErrNotFound for a row or column out of range.
func (t *StatsTable) Cell(row, column int) (Cell, error) {
	r, err := sizeArg("row", row)
	if err != nil {
		return Cell{}, err
	}
	col, err := sizeArg("column", column)
	if err != nil {
		return Cell{}, err
	}
	var value C.int64_t
	var state C.int32_t
	err = t.o.read(func(c *ctable) error {
		st := Status(C.nj_stats_table_cell(c, r, col, &value, &state))
		return failure(st, fmt.Sprintf("table cell (%d, %d)", row, column))
	})
	return Cell{int64(value), CellState(state)}, err
}

// CSV is the table as CSV: UTF-8 with a byte-order mark, CRLF line ends, a
// header row, suppressed cells as "x" and undefined ones empty.
func (t *StatsTable) CSV() ([]byte, error) {
	return t.export("table as CSV", func(c *ctable, buf unsafe.Pointer, capacity C.size_t, size *C.size_t) Status {
		return Status(C.nj_stats_table_csv(c, buf, capacity, size))
	})
}

// JSON is the table as JSON: {"columns": [...], "rows": [{"region_id",
// "programme_type", "region", "cells": [...]}]}, suppressed cells as "x" and
// undefined ones null.
func (t *StatsTable) JSON() ([]byte, error) {
	return t.export("table as JSON", func(c *ctable, buf unsafe.Pointer, capacity C.size_t, size *C.size_t) Status {
		return Status(C.nj_stats_table_json(c, buf, capacity, size))
	})
}

func (t *StatsTable) export(what string, fn func(*ctable, unsafe.Pointer, C.size_t, *C.size_t) Status) ([]byte, error) {
	var out []byte
	err := t.o.read(func(c *ctable) (err error) {
		out, err = fill(what, func(buf unsafe.Pointer, capacity C.size_t, size *C.size_t) Status {
			return fn(c, buf, capacity, size)
		})
		return err
	})
	return out, err
}
