package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"dangjian/internal/store"
	"dangjian/internal/store/storetest"
)

// schemaDifferences are the known, deliberate differences between the two
// migrated schemas: PostgreSQL's one trigger for several events where
// SQLite needs one trigger each. Anything else that differs is a
// migration written for one dialect and forgotten for the other.
var schemaDifferences = map[string]bool{
	"sqlite: trigger audit_log.audit_log_no_update":             true,
	"sqlite: trigger audit_log.audit_log_no_delete":             true,
	"postgres: trigger audit_log.audit_log_no_change":           true,
	"sqlite: trigger people.people_count_delete":                true, // PostgreSQL's people_count_insert fires on DELETE too
	"sqlite: trigger audit_archives.audit_archives_no_update":   true,
	"sqlite: trigger audit_archives.audit_archives_no_delete":   true,
	"postgres: trigger audit_archives.audit_archives_no_change": true,
	// PostgreSQL's tally triggers on marks count learning_reach as well, and
	// one trigger on speakers (decisions) fires on insert and delete (00210).
	"sqlite: trigger event_speakers.event_tally_speaker_delete":   true,
	"sqlite: trigger event_decisions.event_tally_decision_delete": true,
	"sqlite: trigger event_attendance.learning_reach_insert":      true,
	"sqlite: trigger event_attendance.learning_reach_delete":      true,
	"sqlite: trigger event_attendance.learning_reach_update":      true,
	"sqlite: trigger event_attendance.learning_reach_widen":       true, // 00230
	// One PostgreSQL trigger adds each month's 学时 to its year on insert,
	// update and delete (00240).
	"sqlite: trigger learning_credit.learning_credit_year_insert": true,
	"sqlite: trigger learning_credit.learning_credit_year_update": true,
	"sqlite: trigger learning_credit.learning_credit_year_delete": true,
	"postgres: trigger learning_credit.learning_credit_year":      true,
	// SQLite's marks reach event_totals at once, by a lighter trigger when
	// only an event's tallies changed; PostgreSQL's come folded (00280).
	"sqlite: trigger events.event_totals_tally": true,
	// The roster's keyset order ends in the id, and the calendar and the
	// people figures read ids from their indexes: SQLite's indexes carry
	// the rowid by themselves, PostgreSQL's name it (00007, 00270, 00260).
	"sqlite: index people.people_current(org_path,name_sort) unique=false":                                                                                                                                         true,
	"postgres: index people.people_current(org_path,name_sort,id) unique=false":                                                                                                                                    true,
	"sqlite: index people.people_figures(org_path,status,joined_on,left_on,full_on,birth_date,activist_on,candidate_on) unique=false":                                                                              true,
	"postgres: index people.people_figures(org_path,status,joined_on,left_on,full_on,birth_date,activist_on,candidate_on,id) unique=false":                                                                         true,
	"sqlite: index events.events_held(held_year,org_path,held_on,learning,credit_tenths,tally_expected,tally_present,tally_present_expected,tally_made_up,tally_speakers,tally_decisions,kinds) unique=false":      true,
	"postgres: index events.events_held(held_year,org_path,held_on,learning,credit_tenths,tally_expected,tally_present,tally_present_expected,tally_made_up,tally_speakers,tally_decisions,kinds,id) unique=false": true,
}

// TestDialectSchemasMatch migrates both databases and compares what a query
// can tell apart: tables, their columns (name and nullability), indexes
// (name, table, columns, uniqueness) and triggers (name and table).
func TestDialectSchemasMatch(t *testing.T) {
	lite := describe(t, store.SQLite)
	pg := describe(t, store.Postgres)
	var problems []string
	for item := range lite {
		if !pg[item] && !schemaDifferences["sqlite: "+item] {
			problems = append(problems, "only in SQLite:     "+item)
		}
	}
	for item := range pg {
		if !lite[item] && !schemaDifferences["postgres: "+item] {
			problems = append(problems, "only in PostgreSQL: "+item)
		}
	}
	slices.Sort(problems)
	if len(problems) > 0 {
		t.Fatalf("the two dialects' schemas differ:\n%s", strings.Join(problems, "\n"))
	}
	if len(lite) < 20 {
		t.Fatalf("only %d schema items read from SQLite: the description query is broken", len(lite))
	}
}

// describe lists the schema of a freshly migrated database as lines.
func describe(t *testing.T, d store.Dialect) map[string]bool {
	t.Helper()
	ctx := context.Background()
	cfg := store.Config{}
	driver, dsn := "sqlite", ""
	if d == store.Postgres {
		cfg.DatabaseURL = storetest.PostgresDatabase(t)
		driver, dsn = "pgx", cfg.DatabaseURL
	} else {
		cfg.DataDir = t.TempDir()
		dsn = cfg.DataDir + "/dangjian.db"
	}
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]bool{}
	add := func(format string, args ...any) { out[fmt.Sprintf(format, args...)] = true }
	rows := func(q string, args ...any) [][]string {
		t.Helper()
		r, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer r.Close()
		cols, _ := r.Columns()
		var all [][]string
		for r.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				row[i] = v.String
			}
			all = append(all, row)
		}
		return all
	}
	skip := func(table string) bool { return table == "goose_db_version" || strings.HasPrefix(table, "sqlite_") }
	if d == store.SQLite {
		for _, tb := range rows(`SELECT name FROM sqlite_master WHERE type = 'table'`) {
			if skip(tb[0]) {
				continue
			}
			add("table %s", tb[0])
			for _, c := range rows(`SELECT name, "notnull", pk FROM pragma_table_xinfo(?)`, tb[0]) {
				add("column %s.%s not null=%v", tb[0], c[0], c[1] == "1" || c[2] != "0")
			}
			for _, ix := range rows(`SELECT name, "unique", origin FROM pragma_index_list(?)`, tb[0]) {
				if ix[2] == "pk" {
					continue
				}
				var cols []string
				for _, c := range rows(`SELECT COALESCE(name, '(expr)') FROM pragma_index_info(?) ORDER BY seqno`, ix[0]) {
					cols = append(cols, c[0])
				}
				name := ix[0]
				if ix[2] == "u" { // a UNIQUE constraint: SQLite names it itself
					name = "(constraint)"
				}
				add("index %s.%s(%s) unique=%v", tb[0], name, strings.Join(cols, ","), ix[1] == "1")
			}
		}
		for _, tr := range rows(`SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'`) {
			add("trigger %s.%s", tr[1], tr[0])
		}
		return out
	}
	for _, tb := range rows(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`) {
		if skip(tb[0]) {
			continue
		}
		add("table %s", tb[0])
		for _, c := range rows(`SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, tb[0]) {
			add("column %s.%s not null=%v", tb[0], c[0], c[1] == "NO")
		}
	}
	for _, ix := range rows(`SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary, ix.indisreplident,
			COALESCE(c.contype, ''),
			(SELECT string_agg(COALESCE(a.attname, '(expr)'), ',' ORDER BY k.n) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
			 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
		FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_constraint c ON c.conindid = ix.indexrelid
		WHERE n.nspname = 'public'`) {
		if skip(ix[0]) || ix[3] == "true" {
			continue
		}
		name := ix[1]
		if ix[5] == "u" {
			name = "(constraint)"
		}
		add("index %s.%s(%s) unique=%v", ix[0], name, ix[6], ix[2] == "true")
	}
	for _, tr := range rows(`SELECT event_object_table, trigger_name FROM information_schema.triggers WHERE trigger_schema = 'public' GROUP BY 1, 2`) {
		add("trigger %s.%s", tr[0], tr[1])
	}
	return out
}

// TestEveryPathMovesOrStays: each table naming an organisation by path is
// either rewritten when the organisation moves or kept on purpose, so a
// module adding such a table decides which — a branch moved under another
// committee must not leave its records behind under the old one.
func TestEveryPathMovesOrStays(t *testing.T) {
	stays := map[string]string{
		"orgs":           "its own path is the one rewritten",
		"audit_log":      "where each change happened",
		"event_totals":   "kept by triggers from the events",
		"learning_reach": "kept by triggers from the events",
	}
	schema := describe(t, store.SQLite)
	for item := range schema {
		var table string
		if _, err := fmt.Sscanf(strings.Replace(item, ".org_path ", " ", 1), "column %s not", &table); err != nil || !strings.Contains(item, ".org_path ") {
			continue
		}
		if stays[table] == "" && !slices.Contains(store.MovesWithOrg, table) {
			t.Errorf("table %s has an org_path that neither moves with its organisation (store.movesWithOrg) nor stays on purpose", table)
		}
	}
	for _, table := range store.MovesWithOrg {
		if !schema["column "+table+".org_path not null=true"] {
			t.Errorf("store.movesWithOrg names %s, which has no org_path", table)
		}
	}
}
