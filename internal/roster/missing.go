package roster

import "dangjian/internal/msg"

// Missing is an organisation or unit the file names that the tree lacks,
// once however many rows name it.
type Missing struct {
	Kind  string // "org" (所在支部) or "unit" (工作单位)
	Name  string // as the file writes it
	Rows  []int  // the first rows naming it (at most maxMissingRows)
	Count int    // how many rows name it
	Text  string // Chinese, ready to show
}

// maxMissingRows is how many rows of a missing name the report lists.
const maxMissingRows = 10

// missingSet gathers the missing names of a file in the order met.
type missingSet struct {
	order []string
	by    map[string]*Missing
}

func newMissingSet() *missingSet { return &missingSet{by: map[string]*Missing{}} }

// take moves the row's problems of names the tree lacks into the set and
// returns the rest.
func (m *missingSet) take(r *row, probs []Problem) []Problem {
	out := probs[:0:0]
	for _, p := range probs {
		kind, f, key := "", field(0), ""
		switch p.Key {
		case "roster.org_unknown":
			kind, f, key = "org", fOrg, "roster.missing_org"
		case "roster.unit_unknown":
			kind, f, key = "unit", fUnit, "roster.missing_unit"
		default:
			out = append(out, p)
			continue
		}
		name := cellText(r, f)
		k := kind + "\x00" + name
		x, ok := m.by[k]
		if !ok {
			x = &Missing{Kind: kind, Name: name, Text: msg.Format(key, name)}
			m.by[k] = x
			m.order = append(m.order, k)
		}
		x.Count++
		if len(x.Rows) < maxMissingRows {
			x.Rows = append(x.Rows, r.num)
		}
	}
	return out
}

func (m *missingSet) list() []Missing {
	var out []Missing
	for _, k := range m.order {
		out = append(out, *m.by[k])
	}
	return out
}
