package store_test

import (
	"reflect"
	"slices"
	"testing"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/store"
)

// unscopedReads are the exported store methods that read without a data
// scope, each for a reason. Every other read takes an auth.Scope, so no
// caller can forget to narrow it.
var unscopedReads = map[string]string{
	"AuditEntries":              "the audit administrator reads the whole log; no tree data",
	"DictItems":                 "dictionaries are shared by the whole installation",
	"CheckPersonDicts":          "dictionaries are shared by the whole installation",
	"DictLookup":                "dictionaries are shared by the whole installation",
	"RosterChoices":             "work units and dictionaries are shared by the whole installation",
	"SeedDicts":                 "installation set-up",
	"IDNumbersTaken":            "an import must find duplicates anywhere; it answers only yes or no per number given",
	"UserByUsername":            "accounts are the account administrators' and the login's, not tree data",
	"UserByPerson":              "accounts are the account administrators' and the login's, not tree data",
	"User":                      "accounts are the account administrators' and the login's, not tree data",
	"Users":                     "accounts are the account administrators' and the login's, not tree data",
	"CountUsers":                "accounts are the account administrators' and the login's, not tree data",
	"SessionUser":               "a session is found by its token",
	"Challenge":                 "a login's second step is found by its token",
	"RecoveryCodesLeft":         "accounts are the account administrators' and the login's, not tree data",
	"SecondFactorPolicy":        "a setting of the whole installation",
	"TOTPSecret":                "accounts are the account administrators' and the login's, not tree data",
	"CreateSetupToken":          "installation set-up",
	"ValidSetupToken":           "installation set-up",
	"Dialect":                   "the database itself",
	"Now":                       "the clock",
	"Ping":                      "the database itself",
	"Close":                     "the database itself",
	"Migrate":                   "the database itself",
	"RefreshStatistics":         "the database itself",
	"TamperAuditForTest":        "tests only",
	"DeleteAuditUpToForTest":    "tests only",
	"ExecForTest":               "tests only",
	"MigrateToForTest":          "tests only",
	"MigrateWithoutForTest":     "tests only",
	"MigrateAgainForTest":       "tests only",
	"LearningMismatchesForTest": "tests only",
	"TalliesDriftForTest":       "tests only",
	"RosterDriftForTest":        "tests only",
	"FoldTallies":               "bookkeeping: folds the differences marks left beside every event's tally",
	"SettingForTest":            "tests only",
	"EnqueueJob":                "background work is bookkeeping; each job's handler reads within its own scope",
	"ClaimJob":                  "background work is bookkeeping; each job's handler reads within its own scope",
	"RenewJob":                  "background work is bookkeeping; each job's handler reads within its own scope",
	"FinishJob":                 "background work is bookkeeping; each job's handler reads within its own scope",
	"ReleaseJob":                "background work is bookkeeping; each job's handler reads within its own scope",
	"Backup":                    "the operator's copy of the whole database",
	"JobCounts":                 "monitoring: counts only",
	"Pools":                     "monitoring: the connection pools",
	"SchemaCurrent":             "the database itself",
	"AuditProtected":            "the database itself",
	"PeopleIndicators":          "the catalogue's figures; each computation takes a scope",
	"EventIndicators":           "the catalogue's figures; each computation takes a scope",
	"OrgIndicators":             "the catalogue's figures; each computation takes a scope",
	"LedgerIndicators":          "the catalogue's figures; each computation takes a scope",
	"LastJob":                   "background work is bookkeeping; each job's handler reads within its own scope",
	"JobOf":                     "a job belongs to its user, who is named",
	"JobByKey":                  "background work is bookkeeping; each job's handler reads within its own scope",
	"EventKinds":                "event kinds are installation configuration, like the dictionaries",
	"EventRules":                "the compliance rules are installation configuration, like the dictionaries",
	"SeedEvents":                "installation set-up",
	"SignInSecret":              "the key that signs sign-in codes; no tree data",
	"SignInEvent":               "a sign-in code is the capability; the page shows only the event's title, time and place",
	"AuditNames":                "the audit log names the objects of its records for the audit administrator, who reads the whole log",
	"PeopleNamed":               "the audit log's filter by the person concerned, for the audit administrator, who reads the whole log",
	"OrgLabel":                  "organisation names by their path, shown wherever an organisation is named; names, no records",
	"OrgLabels":                 "organisation names by their path, shown wherever an organisation is named; names, no records",
	"ClaimReminder":             "the reminder job is bookkeeping; what a reminder says was written within its recipient's scope",
	"FinishReminder":            "the reminder job is bookkeeping; what a reminder says was written within its recipient's scope",
	"Reminder":                  "the reminder job is bookkeeping; what a reminder says was written within its recipient's scope",
	"NextReminderDue":           "the reminder job is bookkeeping: a time only",
	"ReminderCounts":            "monitoring: counts only",
	"DeliverInApp":              "the reminder job delivers to the recipient it names",
	"EventsStarting":            "the reminder job's scan of the whole installation; each reminder goes only to people of the event's organisation",
	"OutstandingMakeups":        "the reminder job's scan of the whole installation; each reminder goes only to the person concerned",
	"OrgManagers":               "the reminder job's scan: who answers for each organisation",
	"Notifications":             "a user's own notifications, found by the user",
	"UnreadCount":               "a user's own notifications, found by the user",
	"JobRuns":                   "monitoring: the system administrator's list of scheduled jobs, no business data",
	"RecentJobs":                "monitoring: the system administrator's list of scheduled jobs, no business data",
	"LearningIndicators":        "the catalogue's figures; each computation takes a scope",
	"ReportedIndicators":        "the catalogue's figures; each computation takes a scope",
	"LearningRequirement":       "the yearly 学时 requirement is installation configuration",
	"SummaryRules":              "the weak-spot rules are installation configuration",
	"SummaryTemplate":           "summary templates are the installation's texts, not tree data",
	"SummaryTemplates":          "summary templates are the installation's texts, not tree data",
}

// TestEveryStoreReadTakesAScope: a method that takes no audit.Actor reads;
// it must take an auth.Scope unless it is listed above with its reason.
func TestEveryStoreReadTakesAScope(t *testing.T) {
	scope, actor := reflect.TypeFor[auth.Scope](), reflect.TypeFor[audit.Actor]()
	st := reflect.TypeFor[*store.Store]()
	var reads int
	for i := range st.NumMethod() {
		m := st.Method(i)
		var ins []reflect.Type
		for j := 1; j < m.Type.NumIn(); j++ {
			ins = append(ins, m.Type.In(j))
		}
		if slices.Contains(ins, actor) {
			continue // a change: it names who makes it and writes the audit record
		}
		reads++
		_, allowed := unscopedReads[m.Name]
		switch has := slices.Contains(ins, scope); {
		case !has && !allowed:
			t.Errorf("store.%s reads without an auth.Scope: add one, or list it in unscopedReads with the reason", m.Name)
		case has && allowed:
			t.Errorf("store.%s takes a scope now: take it off unscopedReads", m.Name)
		}
	}
	for name := range unscopedReads {
		if _, ok := st.MethodByName(name); !ok {
			t.Errorf("unscopedReads lists store.%s, which no longer exists", name)
		}
	}
	if reads < 10 {
		t.Fatalf("only %d read methods found: the test no longer sees the store", reads)
	}
}
