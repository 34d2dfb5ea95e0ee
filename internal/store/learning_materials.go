package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"dangjian/internal/audit"
	"dangjian/internal/auth"
	"dangjian/internal/learning"
)

const materialCols = `m.id, m.org_id, m.org_path, o.name, m.title, m.summary, m.url, m.file_name, m.content_type, m.size, m.sha256,
	m.version, m.created_at, m.created_by`

const materialFrom = ` FROM learning_materials m JOIN orgs o ON o.id = m.org_id`

func scanMaterial(r scanner, extra ...any) (learning.Material, error) {
	var m learning.Material
	err := r.Scan(append([]any{&m.ID, &m.OrgID, &m.OrgPath, &m.OrgName, &m.Title, &m.Summary, &m.URL, &m.FileName, &m.ContentType,
		&m.Size, &m.SHA256, &m.Version, &m.CreatedAt, &m.CreatedBy}, extra...)...)
	return m, mapErr(err)
}

// LearningMaterials lists the library the scope sees, newest first: the
// materials of its subtree, and for a member those of the organisations
// above them. The contents of files are not read.
func (s *Store) LearningMaterials(ctx context.Context, sc auth.Scope) ([]learning.Material, error) {
	cond, args := planScopeCond(sc, "m")
	rows, err := s.query(ctx, "SELECT "+materialCols+materialFrom+" WHERE "+cond+" ORDER BY m.id DESC LIMIT 1000", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []learning.Material
	for rows.Next() {
		m, err := scanMaterial(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// LearningMaterial reads one material without its content.
func (s *Store) LearningMaterial(ctx context.Context, sc auth.Scope, id int64) (*learning.Material, error) {
	return s.material(ctx, s, sc, id)
}

func (s *Store) material(ctx context.Context, q rowQuerier, sc auth.Scope, id int64) (*learning.Material, error) {
	cond, args := planScopeCond(sc, "m")
	m, err := scanMaterial(q.queryRow(ctx, "SELECT "+materialCols+materialFrom+" WHERE m.id = ? AND "+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// LearningMaterialFile reads one uploaded material with its content.
func (s *Store) LearningMaterialFile(ctx context.Context, sc auth.Scope, id int64) (*learning.Material, error) {
	cond, args := planScopeCond(sc, "m")
	var data []byte
	m, err := scanMaterial(s.queryRow(ctx, "SELECT "+materialCols+", m.data"+materialFrom+" WHERE m.id = ? AND m.url = '' AND "+cond,
		append([]any{id}, args...)...), &data)
	if err != nil {
		return nil, err
	}
	m.Data = data
	return &m, nil
}

// AddLearningMaterial adds a link or a file (whose type the caller checked
// by its content) to the library of an organisation in the scope.
func (s *Store) AddLearningMaterial(ctx context.Context, a audit.Actor, sc auth.Scope, m *learning.Material) error {
	m.Normalize()
	return s.inTx(ctx, func(t *tx) error {
		o, err := t.org(ctx, sc, m.OrgID)
		if err != nil {
			return notFoundAs(err, "org_id", "org.unknown")
		}
		if err := m.Validate(); err != nil {
			return err
		}
		m.OrgPath, m.OrgName = o.Path, o.Name
		var data any
		if len(m.Data) > 0 {
			sum := sha256.Sum256(m.Data)
			m.SHA256, m.Size, data = hex.EncodeToString(sum[:]), int64(len(m.Data)), m.Data
		}
		m.CreatedAt, m.CreatedBy, m.Version = t.s.Now(), a.Username, 1
		id, err := t.insert(ctx, `INSERT INTO learning_materials (org_id, org_path, title, summary, url, file_name, content_type, size, sha256, data,
			version, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			m.OrgID, m.OrgPath, m.Title, m.Summary, m.URL, m.FileName, m.ContentType, m.Size, m.SHA256, data, m.CreatedAt, m.CreatedBy)
		if err != nil {
			return err
		}
		m.ID = id
		return t.audit(ctx, a, Change{Action: "learning.material_add", ObjectType: "learning_material", ObjectID: id, OrgPath: m.OrgPath,
			After: map[string]any{"title": m.Title, "url": m.URL, "file_name": m.FileName, "content_type": m.ContentType, "size": m.Size, "sha256": m.SHA256}})
	})
}
