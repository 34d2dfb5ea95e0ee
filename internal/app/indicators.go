package app

import (
	"dangjian/internal/indicator"
	"dangjian/internal/store"
)

// Catalogue is every module's indicators. A module that lands adds its set
// here, beside its area in Areas(); the summary and the dashboard only ever
// read the catalogue.
func Catalogue(st *store.Store) (*indicator.Catalogue, error) {
	return indicator.NewCatalogue(
		st.PeopleIndicators(),
		st.OrgIndicators(),
		st.EventIndicators(),
		st.ReportedIndicators(),
		st.LedgerIndicators(),
		st.LearningIndicators(),
	)
}
