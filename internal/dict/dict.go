// Package dict holds the editable enumerations (字典) that feed every dropdown:
// education, ethnic group, position, committee position … Offices edit them; the
// code only knows their names.
package dict

import (
	"slices"
	"strings"
	"unicode/utf8"

	"dangjian/internal/errs"
)

// Names of the dictionaries the platform relies on.
const (
	Education         = "education"
	Ethnic            = "ethnic"
	Position          = "position"
	CommitteePosition = "committee_position"
)

// The limits of an item. A label or alias is a value of a person's field
// (people.MaxDictValue), so it is as short as that.
const (
	MaxLabel   = 40 // characters of a label and of each alias
	MaxAliases = 20 // aliases of one item
)

// Item is one entry of a dictionary. Aliases are other spellings offices use
// (本科 for 大学本科), recognised wherever a value is saved and folded into
// Label. A label or alias names one item of its dictionary only.
type Item struct {
	ID        int64
	Dict      string
	Label     string   // at most MaxLabel characters
	Aliases   []string // at most MaxAliases, each at most MaxLabel characters
	SortOrder int
	Disabled  bool
	Version   int64
}

// Validate checks an item.
func (it *Item) Validate() error {
	var v errs.Invalid
	it.Label = strings.TrimSpace(it.Label)
	if it.Label == "" {
		v.Add("label", "required")
	}
	v.MaxLen("label", it.Label, MaxLabel)
	if it.Dict == "" {
		v.Add("dict", "required")
	}
	var clean []string
	for _, a := range it.Aliases {
		if a = strings.TrimSpace(a); a != "" && a != it.Label && !slices.Contains(clean, a) {
			clean = append(clean, a)
		}
		if utf8.RuneCountInString(a) > MaxLabel {
			v.Add("aliases", "dict.alias_too_long")
		}
		if strings.Contains(a, "|") { // the separator of the stored list
			v.Add("aliases", "invalid")
		}
	}
	if len(clean) > MaxAliases {
		v.Add("aliases", errs.Keyed("dict.too_many_aliases", MaxAliases))
	}
	it.Aliases = clean
	return v.Err()
}

// Lookup resolves labels and aliases of one dictionary to canonical labels.
type Lookup map[string]string

// NewLookup builds a Lookup from a dictionary's enabled items.
func NewLookup(items []Item) Lookup {
	l := Lookup{}
	for _, it := range items {
		if it.Disabled {
			continue
		}
		l[it.Label] = it.Label
		for _, a := range it.Aliases {
			l[a] = it.Label
		}
	}
	return l
}

// Resolve returns the canonical label for s and whether it is known.
func (l Lookup) Resolve(s string) (string, bool) {
	label, ok := l[strings.TrimSpace(s)]
	return label, ok
}

// Defaults are the dictionaries a new installation starts with.
var Defaults = map[string][]Item{
	Education: {
		{Label: "研究生", Aliases: []string{"博士", "硕士", "博士研究生", "硕士研究生", "研究生及以上"}},
		{Label: "大学本科", Aliases: []string{"本科", "大本"}},
		{Label: "大学专科", Aliases: []string{"大专", "专科"}},
		{Label: "中专", Aliases: []string{"中等专科", "中技", "技校"}},
		{Label: "高中", Aliases: []string{"高中及以下"}},
		{Label: "初中及以下", Aliases: []string{"初中", "小学"}},
	},
	Ethnic: ethnicItems(),
	Position: {
		{Label: "书记"}, {Label: "副书记"}, {Label: "主任"}, {Label: "副主任"}, {Label: "科长"}, {Label: "副科长"},
		{Label: "一级主任科员"}, {Label: "二级主任科员"}, {Label: "三级主任科员"}, {Label: "四级主任科员"},
		{Label: "一级科员"}, {Label: "二级科员"}, {Label: "科员"}, {Label: "办事员"}, {Label: "工勤人员"},
	},
	CommitteePosition: {
		{Label: "书记"}, {Label: "副书记"}, {Label: "组织委员"}, {Label: "宣传委员"}, {Label: "纪检委员"},
		{Label: "青年委员"}, {Label: "统战委员"}, {Label: "委员"}, {Label: "党小组组长"},
	},
}

func ethnicItems() []Item {
	names := strings.Fields(`汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族
		哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族
		达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族
		俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族`)
	items := make([]Item, len(names))
	for i, n := range names {
		items[i] = Item{Label: n, Aliases: []string{strings.TrimSuffix(n, "族")}}
	}
	return items
}
