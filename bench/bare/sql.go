package bare

import "strings"

// statements are the SQL the bare server runs: the store's text for the
// requests the load makes, prepared once.
var statements = map[string]string{
	"session": `SELECT s.token_hash, s.user_id, s.created_at, s.last_seen, s.expires_at, s.ip, s.user_agent, u.id, u.username,
	u.display_name, u.role, COALESCE(u.org_id, 0), COALESCE(o.path, '/'), COALESCE(o.name, ''), COALESCE(u.person_id, 0),
	u.password_hash, u.password_changed_at, u.must_change, u.failures, u.locked_until, u.disabled, u.totp_enrolled_at, u.version, u.created_at
	FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ?`,
	// The store's INSERT, with the organisation's path read in the same
	// statement (and the organisation thereby checked to be in scope).
	"insert": `INSERT INTO people (org_id, org_path, unit_id, name, name_initials, name_sort, sex, birth_date, ethnic,
	education, position, status, applied_on, activist_on, candidate_on, joined_on, full_on, phone, phone_idx, id_number, id_number_idx,
	left_on, version, created_at, updated_at)
	SELECT o.id, o.path, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, ?
	FROM orgs o WHERE o.id = ? AND o.path >= ? AND o.path < ? RETURNING id`,
	// The printed roster's heading names the organisation asked for.
	"org": `SELECT name FROM orgs WHERE id = ? AND path >= ? AND path < ?`,
}

const personCols = `p.id, p.org_id, COALESCE(p.unit_id, 0), p.name, p.sex, p.birth_date, p.ethnic, p.education, p.position, p.status,
	p.applied_on, p.activist_on, p.candidate_on, p.joined_on, p.full_on, p.phone, p.id_number, p.left_on, p.version, p.created_at, p.updated_at,
	COALESCE(NULLIF(o.label, ''), o.name), COALESCE(NULLIF(u.label, ''), u.name, ''), p.org_path` // organisations by their label, as the platform shows them

// The store's listing statement — the subtree's total, the page's ids by
// the index and their rows, in one — for a subtree given by its path range
// ("scope") or by an organisation inside it ("org"), from the start
// ("first"), an offset ("offset"), after a cursor ("after") or before one
// ("before").
func init() {
	const inScope = " FROM orgs WHERE id = ? AND path >= ? AND path < ?)"
	ranges := map[string][2]string{
		"scope": {"?", "?"},
		"org":   {"(SELECT path" + inScope, "(SELECT substr(path, 1, length(path) - 1) || '0'" + inScope},
	}
	order := "p.org_path ASC, p.name_sort ASC, p.id ASC"
	for by, r := range ranges {
		lo, hi := r[0], r[1]
		for _, from := range []string{"first", "offset", "after", "before"} {
			// From a cursor, the cursor's path stands in for the subtree's
			// bound on the side it seeks from, so that the index starts at
			// the cursor; the cursor is checked to lie inside the subtree.
			within, seek, inner := "p.org_path >= "+lo+" AND p.org_path < "+hi, "", order
			switch from {
			case "after":
				within, seek = "? >= "+lo+" AND p.org_path < "+hi, " AND (p.org_path, p.name_sort, p.id) > (?, ?, ?)"
			case "before":
				within, seek = "p.org_path >= "+lo+" AND ? < "+hi, " AND (p.org_path, p.name_sort, p.id) < (?, ?, ?)"
				inner = strings.ReplaceAll(order, "ASC", "DESC")
			}
			statements["list/"+by+"/"+from] = "SELECT (SELECT COALESCE(SUM(c.current), 0) FROM orgs t JOIN org_people c ON c.org_id = t.id " +
				"WHERE t.path >= " + lo + " AND t.path < " + hi + "), p.name_sort, " + personCols +
				" FROM (SELECT p.id FROM people p WHERE " + within + " AND p.left_on IS NULL" + seek +
				" ORDER BY " + inner + " LIMIT 21" + map[bool]string{true: " OFFSET ?"}[from == "offset"] + ") pg JOIN people p ON p.id = pg.id JOIN orgs o ON o.id = p.org_id " +
				"LEFT JOIN orgs u ON u.id = p.unit_id ORDER BY " + order
		}
	}
}
