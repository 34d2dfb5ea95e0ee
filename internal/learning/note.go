package learning

import (
	"strings"
	"time"
	"unicode"

	"dangjian/internal/date"
	"dangjian/internal/errs"
)

// NoteKind tells a study note from a reflection.
type NoteKind string

const (
	StudyNote  NoteKind = "note"       // 学习笔记
	Reflection NoteKind = "reflection" // 心得体会
)

// NoteKinds in display order.
var NoteKinds = []NoteKind{StudyNote, Reflection}

// Valid reports whether k is a known kind.
func (k NoteKind) Valid() bool { return k == StudyNote || k == Reflection }

// Note is a study note or a reflection a person wrote online, optionally
// about a session or a material. Chars is what the figures add up.
type Note struct {
	ID         int64     `json:"id"`
	PersonID   int64     `json:"person_id"`
	PersonName string    `json:"person_name"` // filled on read
	OrgPath    string    `json:"-"`           // the writer's organisation when written
	Kind       NoteKind  `json:"kind"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Chars      int       `json:"chars"`
	WrittenOn  date.Date `json:"written_on"` // the China date it was written: the period it counts in
	EventID    int64     `json:"event_id"`   // 0: about no session
	EventTitle string    `json:"event_title"`
	MaterialID int64     `json:"material_id"` // 0: about no material
	Material   string    `json:"material"`
	CampaignID int64     `json:"campaign_id"` // 0: of no campaign (专题学习教育)
	Campaign   string    `json:"campaign"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Limits of a note.
const (
	MaxNoteTitle = 100
	MaxNoteBody  = 50000
	MinNoteChars = 10 // a note says something
)

// CountChars is how a note is counted (字数): every character that is not
// white space, so a Chinese character, a letter, a digit and a punctuation
// mark count one each, and line breaks and spaces nothing.
func CountChars(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// Normalize trims the texts and counts the characters.
func (n *Note) Normalize() {
	n.Title = strings.TrimSpace(n.Title)
	n.Body = strings.TrimSpace(strings.ReplaceAll(n.Body, "\r\n", "\n"))
	n.Chars = CountChars(n.Body)
}

// Validate checks a note.
func (n *Note) Validate() error {
	var v errs.Invalid
	if !n.Kind.Valid() {
		v.Add("kind", "learning.note_kind_unknown")
	}
	checkText(&v, "title", n.Title, MaxNoteTitle, "learning.title_too_long", true)
	switch {
	case n.Body == "":
		v.Add("body", "required")
	case len([]rune(n.Body)) > MaxNoteBody:
		v.Add("body", "learning.body_too_long")
	case n.Chars < MinNoteChars:
		v.Add("body", "learning.body_too_short")
	}
	return v.Err()
}

// Material is an item of the materials library: an uploaded file or a link.
type Material struct {
	ID          int64     `json:"id"`
	OrgID       int64     `json:"org_id"`
	OrgPath     string    `json:"-"`
	OrgName     string    `json:"org_name"`
	Title       string    `json:"title"`
	Summary     string    `json:"summary"`
	URL         string    `json:"url"` // a link, or "" for a file
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Data        []byte    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	Version     int64     `json:"version"`
}

// Limits of a material.
const (
	MaxMaterialTitle = 120
	MaxSummary       = 1000
	MaxURL           = 500
	MaxFile          = 20 << 20
)

// Normalize trims the texts.
func (m *Material) Normalize() {
	m.Title, m.Summary, m.URL = strings.TrimSpace(m.Title), strings.TrimSpace(m.Summary), strings.TrimSpace(m.URL)
}

// Validate checks a material: a link (http or https) or a file, not both.
func (m *Material) Validate() error {
	var v errs.Invalid
	if m.OrgID == 0 {
		v.Add("org_id", "required")
	}
	checkText(&v, "title", m.Title, MaxMaterialTitle, "learning.title_too_long", true)
	checkText(&v, "summary", m.Summary, MaxSummary, "learning.summary_too_long", false)
	hasFile := len(m.Data) > 0
	switch {
	case m.URL == "" && !hasFile:
		v.Add("url", "learning.material_empty")
	case m.URL != "" && hasFile:
		v.Add("url", "learning.material_both")
	case m.URL != "" && !(strings.HasPrefix(m.URL, "http://") || strings.HasPrefix(m.URL, "https://")):
		v.Add("url", "learning.url_scheme")
	case len(m.URL) > MaxURL:
		v.Add("url", "learning.url_too_long")
	case hasFile && len(m.Data) > MaxFile:
		v.Add("file", "learning.file_too_large")
	}
	return v.Err()
}
