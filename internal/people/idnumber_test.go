package people

import (
	"errors"
	"strings"
	"testing"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/msg"
)

func TestCheckIDNumber(t *testing.T) {
	// 11010519491231002X is the example number of GB 11643-1999 itself.
	info, problem := CheckIDNumber("11010519491231002X")
	if problem != "" || info.BirthDate != date.MustParse("1949-12-31") || info.Sex != Female {
		t.Fatalf("standard's example: %+v %q", info, problem)
	}
	// The 17th digit is odd for men.
	if info, problem := CheckIDNumber("370102198907046858"); problem != "" || info.Sex != Male || info.BirthDate.String() != "1989-07-04" {
		t.Fatalf("male: %+v %q", info, problem)
	}
	cases := []struct{ id, problem string }{
		{"110105194912310021", "id_number.checksum"}, // one check character off
		{"11010519491231002", "id_number.length"},
		{"11010519491231002X1", "id_number.length"},
		{"110105194912310O2X", "id_number.chars"}, // letter O for zero
		{"11010519491231002Y", "id_number.chars"},
		{"11010519491331002X", "id_number.birth"}, // month 13
		{"11010518991231002X", "id_number.birth"}, // before 1900
		{"11010519490230002X", "id_number.birth"}, // 30 February
		{"", "id_number.length"},
	}
	for _, c := range cases {
		if _, problem := CheckIDNumber(c.id); problem != c.problem {
			t.Errorf("CheckIDNumber(%q) = %q, want %q", c.id, problem, c.problem)
		}
	}
}

func TestIDCheckCharMakesValidNumbers(t *testing.T) {
	if c := IDCheckChar("11010519491231002"); c != 'X' {
		t.Fatalf("check character %c, want X", c)
	}
	for _, first := range []string{"37010219850312123", "44030620000229001", "65010219700101999"} {
		id := first + string(IDCheckChar(first))
		if _, problem := CheckIDNumber(id); problem != "" {
			t.Errorf("%s: %s", id, problem)
		}
	}
}

func TestNormalizeIDNumber(t *testing.T) {
	for in, want := range map[string]string{
		" 11010519491231002x ": "11010519491231002X",
		"110105　19491231002X":  "11010519491231002X", // a full-width space typed inside
		"11010519491231002X":   "11010519491231002X",
	} {
		if got := NormalizeIDNumber(in); got != want {
			t.Errorf("NormalizeIDNumber(%q) = %q, want %q", in, got, want)
		}
	}
	if _, problem := CheckIDNumber(NormalizeIDNumber("11010519491231002x")); problem != "" {
		t.Fatalf("lower-case x refused after normalizing: %s", problem)
	}
}

// A first-generation number of 15 digits is recognised, and the message
// offers its 18-digit form: "19" inserted before the year, check character
// computed.
func TestFifteenDigitIDNumberOffersEighteenDigits(t *testing.T) {
	// 110105491231002 is the 15-digit form of the standard's example 11010519491231002X.
	_, problem := CheckIDNumber("110105491231002")
	if got := msg.Text(problem); got != "这是15位旧身份证号，对应的18位号码为 11010519491231002X，请改填18位号码" {
		t.Fatalf("15 digits: %q (%s)", got, problem)
	}
	if full, ok := UpgradeIDNumber("370102850312123"); !ok || full != "37010219850312123"+string(IDCheckChar("37010219850312123")) {
		t.Fatalf("upgrade: %s %v", full, ok)
	}
	if _, problem := CheckIDNumber("110105491331002"); problem != "id_number.birth" {
		t.Fatalf("15 digits with month 13: %s", problem)
	}
	if _, ok := UpgradeIDNumber("11010549123100X"); ok {
		t.Fatal("a letter in a 15-character number was upgraded")
	}
	// Through Validate, the message stands beside the ID number field.
	p := Person{Name: "张伟", OrgID: 1, Status: Masses, IDNumber: "110105491231002"}
	var inv *errs.Invalid
	if err := p.Validate(today); !errors.As(err, &inv) || !strings.Contains(msg.Text(inv.Fields["id_number"]), "11010519491231002X") {
		t.Fatalf("validate: %v", err)
	}
}
