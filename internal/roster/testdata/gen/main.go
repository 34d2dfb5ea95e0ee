// Command gen writes the office workbooks the roster's tests read, into
// internal/roster/testdata (go generate ./internal/roster/). The files are
// made part by part, byte for byte as the programs offices use write them,
// so the tests meet what real uploads hold, and the same on every run:
//
//   - roster-office.xlsx: a 党员花名册 of 40 invented people as LibreOffice
//     Calc saves it: a merged title row above the header, people grouped by
//     branch with 所在支部 written once and merged down each block, dates as
//     date cells and, in some rows, typed as text (1985.03.12, 1985年3月12日,
//     1985/3/12), two-character names padded with a full-width space (雷　秀),
//     short education names (本科, 大专), stray spaces, phones typed with
//     spaces, ID numbers and phones kept as text, and rows numbered in
//     advance but still empty.
//   - roster-excel-numbers.xlsx: a sheet as Excel saves it where ID numbers
//     became numbers (their last digits lost), one copied as the
//     "3.70102E+17" Excel shows, dates typed as numbers (19850312, 1985.03,
//     1998.10 which Excel keeps as 1998.1), and a phone kept as a number.
//   - roster-plain.xlsx: the same 40 people as programs that export to
//     Excel write them (WPS exports, web systems): rows and cells without
//     numbers, inline strings, dates as text, formatted blank cells.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"dangjian/internal/xlsx/xlsxtest"
)

// person is one line of the roster, in the template's column order from 姓名.
type person struct {
	name, sex, ethnic, birth, id, education, unit, position, status, joined, full, phone, branch string
}

// roster are 40 invented people; the ID numbers are valid GB 11643 numbers
// of no one.
var roster = []person{
	{"雷秀", "男", "汉族", "1989-07-04", "370102198907046858", "中专", "市法学会", "副主任", "正式党员", "2007-12-20", "2008-12-19", "15546848745", "第一党支部"},
	{"龚东", "女", "汉族", "1988-02-09", "370102198802096189", "高中", "市中级人民法院", "副主任", "正式党员", "2020-05-20", "2021-05-20", "15964017572", "第一党支部"},
	{"宋燕强", "女", "蒙古族", "1990-04-29", "370102199004292702", "中专", "市委政法委", "主任", "正式党员", "2021-04-12", "2022-04-12", "17562799556", "第一党支部"},
	{"郝强", "女", "汉族", "1974-01-18", "37010219740118444X", "研究生", "市公安局", "副科长", "正式党员", "1996-05-22", "1997-05-22", "18437326222", "第三党支部"},
	{"胡晓建", "女", "汉族", "1983-10-10", "370102198310100807", "大学专科", "市委政法委", "科员", "发展对象", "", "", "18339735929", "第三党支部"},
	{"廖轩", "女", "汉族", "1959-12-15", "370102195912152344", "高中", "市公安局", "四级主任科员", "入党积极分子", "", "", "18407353703", "第三党支部"},
	{"卢晓东", "女", "汉族", "1976-03-24", "370102197603248464", "大学本科", "市司法局", "一级科员", "正式党员", "2019-09-22", "2020-09-21", "13040061034", "第一党支部"},
	{"廖伟", "女", "汉族", "1979-06-14", "370102197906144822", "高中", "市人民检察院", "一级科员", "正式党员", "2006-04-11", "2007-04-11", "13766805747", "第一党支部"},
	{"曹海", "男", "回族", "1997-10-21", "370102199710218876", "中专", "市司法局", "科员", "正式党员", "2018-06-22", "2019-06-22", "18531031455", "第二党支部"},
	{"钱晓", "女", "汉族", "1982-01-04", "370102198201046768", "中专", "市委政法委", "科长", "正式党员", "2022-10-07", "2023-10-07", "13056338189", "第一党支部"},
	{"冯博杰", "男", "汉族", "1992-09-10", "370102199209108411", "研究生", "市法学会", "四级主任科员", "正式党员", "2022-03-02", "2023-03-02", "13700111350", "第一党支部"},
	{"薛涛", "男", "汉族", "1983-08-06", "370102198308069118", "大学本科", "市委政法委", "一级科员", "正式党员", "2008-01-18", "2009-01-17", "18157083062", "第一党支部"},
	{"袁文芳", "女", "汉族", "1982-04-14", "370102198204144005", "大学本科", "市委政法委", "副主任", "入党积极分子", "", "", "18594829377", "第三党支部"},
	{"叶明", "男", "汉族", "1959-11-02", "370102195911025677", "大学本科", "市中级人民法院", "副科长", "正式党员", "2004-12-03", "2005-12-03", "15367484788", "第二党支部"},
	{"向梓", "男", "汉族", "1972-04-26", "370102197204265136", "研究生", "市人民检察院", "四级主任科员", "正式党员", "2021-02-18", "2022-02-18", "15917476863", "第一党支部"},
	{"邱洋", "男", "汉族", "1966-12-09", "370102196612099312", "研究生", "市中级人民法院", "科长", "正式党员", "2000-11-29", "2001-11-29", "15526875164", "第三党支部"},
	{"龚海", "女", "汉族", "1974-09-23", "37010219740923742X", "中专", "市司法局", "科员", "正式党员", "1993-05-15", "1994-05-15", "13715107582", "第三党支部"},
	{"曾浩", "女", "汉族", "1998-12-07", "370102199812070286", "中专", "市委政法委", "科员", "正式党员", "2017-06-02", "2018-06-02", "18568381400", "第二党支部"},
	{"姚晓", "女", "汉族", "1972-08-10", "37010219720810978X", "中专", "市委政法委", "副科长", "正式党员", "1993-08-05", "1994-08-05", "13104730893", "第一党支部"},
	{"吴浩", "男", "汉族", "1966-11-30", "370102196611301152", "大学专科", "市人民检察院", "副主任", "正式党员", "2002-09-16", "2003-09-16", "15017380583", "第三党支部"},
	{"林佳桐", "男", "汉族", "1993-09-14", "370102199309149077", "高中", "市司法局", "主任", "正式党员", "2014-09-19", "2015-09-19", "13149649240", "第一党支部"},
	{"苏宇", "男", "汉族", "1958-10-14", "370102195810149558", "大学专科", "市人民检察院", "一级科员", "正式党员", "1982-01-03", "1983-01-03", "15772014288", "第三党支部"},
	{"武怡", "女", "汉族", "1984-07-03", "370102198407033647", "中专", "市法学会", "一级科员", "正式党员", "2015-04-14", "2016-04-13", "13205428348", "第一党支部"},
	{"范梅", "男", "回族", "1987-05-16", "370102198705168531", "大学本科", "市法学会", "科长", "正式党员", "2009-08-05", "2010-08-05", "15742936757", "第三党支部"},
	{"向国", "女", "汉族", "1961-01-07", "370102196101070286", "中专", "市人民检察院", "主任", "正式党员", "2007-08-03", "2008-08-02", "15256469243", "第一党支部"},
	{"王志", "男", "汉族", "1990-11-22", "370102199011222497", "研究生", "市司法局", "副科长", "正式党员", "2023-07-09", "2024-07-08", "13982271591", "第一党支部"},
	{"王静", "男", "汉族", "1977-05-30", "370102197705303196", "大学本科", "市委政法委", "科员", "预备党员", "2026-04-01", "", "18561999370", "第二党支部"},
	{"赵丽", "女", "汉族", "1972-10-30", "370102197210305480", "大学专科", "市法学会", "四级主任科员", "正式党员", "2022-09-10", "2023-09-10", "18950577258", "第三党支部"},
	{"于志秀", "男", "汉族", "1970-03-25", "370102197003257199", "高中", "市委政法委", "一级科员", "发展对象", "", "", "17137874914", "第一党支部"},
	{"龚娟", "男", "汉族", "1970-06-22", "370102197006228510", "高中", "市司法局", "副主任", "正式党员", "1994-12-03", "1995-12-03", "15153282856", "第二党支部"},
	{"魏梓", "男", "蒙古族", "1962-02-06", "370102196202067537", "大学本科", "市司法局", "一级科员", "正式党员", "1998-02-01", "1999-02-01", "17432783246", "第三党支部"},
	{"秦然", "女", "汉族", "2000-11-22", "370102200011229205", "中专", "市公安局", "科员", "正式党员", "2023-09-04", "2024-09-03", "17187474311", "第一党支部"},
	{"沈强", "男", "汉族", "1965-09-25", "370102196509258055", "研究生", "市司法局", "副科长", "正式党员", "2019-01-05", "2020-01-05", "13344865921", "第三党支部"},
	{"杨宇平", "男", "汉族", "1981-01-07", "370102198101070111", "研究生", "市法学会", "主任", "入党积极分子", "", "", "17184538221", "第三党支部"},
	{"姜子", "女", "汉族", "1988-10-30", "370102198810305366", "高中", "市法学会", "副科长", "正式党员", "2021-08-26", "2022-08-26", "15738694557", "第二党支部"},
	{"夏梓", "男", "汉族", "1989-02-08", "370102198902089250", "大学专科", "市委政法委", "一级科员", "正式党员", "2009-10-06", "2010-10-06", "17551534109", "第一党支部"},
	{"宋欣志", "男", "汉族", "1976-05-16", "370102197605161012", "研究生", "市中级人民法院", "四级主任科员", "正式党员", "2002-04-20", "2003-04-20", "18168547879", "第二党支部"},
	{"邓欣", "女", "汉族", "1965-12-08", "370102196512085482", "大学本科", "市委政法委", "科员", "正式党员", "2018-02-20", "2019-02-20", "18339619746", "第三党支部"},
	{"顾东", "男", "汉族", "1962-03-22", "370102196203223933", "大学本科", "市司法局", "副科长", "正式党员", "1990-02-14", "1991-02-14", "15294869228", "第三党支部"},
	{"钟然", "男", "汉族", "1989-01-01", "370102198901011574", "高中", "市法学会", "一级科员", "入党积极分子", "", "", "18738101673", "第三党支部"},
}

// headers are the columns, as offices title them.
var headers = []string{"序号", "姓名", "性别", "民族", "出生日期", "身份证号", "学历", "工作单位", "职务", "人员类别", "入党时间", "转正时间", "联系电话", "所在支部"}

func main() {
	dir := "testdata"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	for name, data := range map[string][]byte{
		"roster-office.xlsx":        office(),
		"roster-excel-numbers.xlsx": excelNumbers(),
		"roster-plain.xlsx":         plain(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}

// byBranch is the roster grouped by branch, each branch's people in their order.
func byBranch() []person {
	var out []person
	for _, b := range []string{"第一党支部", "第二党支部", "第三党支部"} {
		for _, p := range roster {
			if p.branch == b {
				out = append(out, p)
			}
		}
	}
	return out
}

// sharedStrings is a shared strings table in order of first use, as LibreOffice
// and Excel build it.
type sharedStrings struct {
	list  []string
	index map[string]int
	uses  int
}

func (s *sharedStrings) ref(v string) int {
	s.uses++
	if i, ok := s.index[v]; ok {
		return i
	}
	if s.index == nil {
		s.index = map[string]int{}
	}
	s.index[v] = len(s.list)
	s.list = append(s.list, v)
	return len(s.list) - 1
}

func (s *sharedStrings) part() xlsxtest.Part {
	return xlsxtest.Part{Name: "xl/sharedStrings.xml", Write: func(w io.Writer) {
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
			`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, s.uses, len(s.list))
		for _, v := range s.list {
			fmt.Fprintf(w, `<si><t xml:space="preserve">%s</t></si>`, xlsxtest.Escape(v))
		}
		io.WriteString(w, `</sst>`)
	}}
}

// serial is a date's serial number in Excel's 1900 date system.
func serial(d string) int {
	var y, m, day int
	fmt.Sscanf(d, "%d-%d-%d", &y, &m, &day)
	// Days from 1899-12-30, by the civil calendar (valid after 1900-02-28).
	a := (14 - m) / 12
	yy, mm := y+4800-a, m+12*a-3
	jdn := day + (153*mm+2)/5 + 365*yy + yy/4 - yy/100 + yy/400 - 32045
	return jdn - 2415019
}

// textDate writes a date the ways offices type them.
func textDate(d string, style int) string {
	var y, m, day int
	fmt.Sscanf(d, "%d-%d-%d", &y, &m, &day)
	switch style {
	case 0:
		return fmt.Sprintf("%d.%02d.%02d", y, m, day)
	case 1:
		return fmt.Sprintf("%d年%d月%d日", y, m, day)
	default:
		return fmt.Sprintf("%d/%d/%d", y, m, day)
	}
}

// padName puts a full-width space inside a two-character name, as offices
// line names up.
func padName(n string) string {
	if r := []rune(n); len(r) == 2 {
		return string(r[0]) + "\u3000" + string(r[1])
	}
	return n
}

var short = map[string]string{"大学本科": "本科", "大学专科": "大专"}

// office is the LibreOffice roster.
func office() []byte {
	var sst sharedStrings
	list := byBranch()
	var rows strings.Builder
	row := func(n int, cells string) {
		fmt.Fprintf(&rows, `<row r="%d" customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false">%s</row>`, n, cells)
	}
	text := func(ref string, v string) string {
		return fmt.Sprintf(`<c r="%s" s="1" t="s"><v>%d</v></c>`, ref, sst.ref(v))
	}
	blank := func(ref string) string { return fmt.Sprintf(`<c r="%s" s="1"/>`, ref) }
	col := func(c int) string { return string(rune('A' + c)) }

	title := text("A1", "市委政法委机关党员花名册")
	for c := 1; c < len(headers); c++ {
		title += blank(col(c) + "1")
	}
	row(1, title)
	var header string
	for c, h := range headers {
		header += text(col(c)+"2", h)
	}
	row(2, header)

	var merges []string
	blockStart := 3
	for i, p := range list {
		n := i + 3
		ref := func(c int) string { return fmt.Sprintf("%s%d", col(c), n) }
		name, education, position, phone, ethnic := p.name, p.education, p.position, p.phone, p.ethnic
		if i%2 == 0 {
			name = padName(name)
		}
		if s, ok := short[education]; ok && i%4 == 3 {
			education = s
		}
		if i%6 == 5 {
			position = " " + position + " "
		}
		if i%7 == 6 {
			phone = phone[:3] + " " + phone[3:7] + " " + phone[7:]
		}
		if i%8 == 7 && ethnic == "汉族" {
			ethnic = "汉"
		}
		date := func(c int, d string, typed int) string {
			switch {
			case d == "":
				return ""
			case i > 0 && i%5 == typed:
				return text(ref(c), textDate(d, i%3))
			default:
				return fmt.Sprintf(`<c r="%s" s="2" t="n"><v>%d</v></c>`, ref(c), serial(d))
			}
		}
		cells := fmt.Sprintf(`<c r="%s" s="0" t="n"><v>%d</v></c>`, ref(0), i+1) +
			text(ref(1), name) + text(ref(2), p.sex) + text(ref(3), ethnic) + date(4, p.birth, 1) +
			fmt.Sprintf(`<c r="%s" s="0" t="s"><v>%d</v></c>`, ref(5), sst.ref(p.id)) +
			text(ref(6), education) + text(ref(7), p.unit) + text(ref(8), position) + text(ref(9), p.status) +
			date(10, p.joined, 2) + date(11, p.full, 3) +
			fmt.Sprintf(`<c r="%s" s="0" t="s"><v>%d</v></c>`, ref(12), sst.ref(phone))
		// 所在支部 is written once at the top of its block, merged down.
		if i == 0 || list[i-1].branch != p.branch {
			cells += text(ref(13), p.branch)
			blockStart = n
		} else {
			cells += blank(ref(13))
		}
		if i == len(list)-1 || list[i+1].branch != p.branch {
			if n > blockStart {
				merges = append(merges, fmt.Sprintf(`<mergeCell ref="N%d:N%d"/>`, blockStart, n))
			}
		}
		row(n, cells)
	}
	// Rows numbered in advance, for the people to come.
	for k := 1; k <= 3; k++ {
		n := len(list) + 2 + k
		cells := fmt.Sprintf(`<c r="A%d" s="0" t="n"><v>%d</v></c>`, n, len(list)+k)
		for c := 1; c < len(headers); c++ {
			cells += blank(fmt.Sprintf("%s%d", col(c), n))
		}
		row(n, cells)
	}
	last := len(list) + 5
	sheet := xlsxtest.Part{Name: "xl/worksheets/sheet1.xml", Write: func(w io.Writer) {
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
			`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" `+
			`xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" `+
			`xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">`+
			`<sheetPr filterMode="false"><pageSetUpPr fitToPage="false"/></sheetPr><dimension ref="A1:N%d"/>`+
			`<sheetViews><sheetView showFormulas="false" showGridLines="true" showRowColHeaders="true" showZeros="true" rightToLeft="false" tabSelected="true" `+
			`showOutlineSymbols="true" defaultGridColor="true" view="normal" topLeftCell="A1" colorId="64" zoomScale="100" zoomScaleNormal="100" `+
			`zoomScalePageLayoutView="60" workbookViewId="0"><selection pane="topLeft" activeCell="A1" activeCellId="0" sqref="A1"/></sheetView></sheetViews>`+
			`<sheetFormatPr defaultColWidth="11.53515625" defaultRowHeight="12.8" zeroHeight="false" outlineLevelRow="0" outlineLevelCol="0"></sheetFormatPr>`+
			`<sheetData>%s</sheetData><mergeCells count="%d"><mergeCell ref="A1:N1"/>%s</mergeCells>`+
			`<printOptions headings="false" gridLines="false" gridLinesSet="true" horizontalCentered="false" verticalCentered="false"/>`+
			`<pageMargins left="0.7875" right="0.7875" top="1.05277777777778" bottom="1.05277777777778" header="0.7875" footer="0.7875"/>`+
			`<pageSetup paperSize="9" scale="100" fitToWidth="1" fitToHeight="1" pageOrder="downThenOver" orientation="portrait" blackAndWhite="false" `+
			`draft="false" cellComments="none" firstPageNumber="1" useFirstPageNumber="true" horizontalDpi="300" verticalDpi="300" copies="1"/>`+
			`<headerFooter differentFirst="false" differentOddEven="false"><oddHeader>&amp;C&amp;&quot;Times New Roman,Regular&quot;&amp;12&amp;A</oddHeader>`+
			`<oddFooter>&amp;C&amp;&quot;Times New Roman,Regular&quot;&amp;12Page &amp;P</oddFooter></headerFooter></worksheet>`,
			last, rows.String(), len(merges)+1, strings.Join(merges, ""))
	}}
	// LibreOffice's order of parts.
	return xlsxtest.Zip(
		xlsxtest.Text("_rels/.rels", rels(
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>`+
				`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`+
				`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>`)),
		xlsxtest.Text("xl/workbook.xml", head+`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
			`<fileVersion appName="Calc"/><workbookPr backupFile="false" showObjects="all" dateCompatibility="false"/><workbookProtection/>`+
			`<bookViews><workbookView showHorizontalScroll="true" showVerticalScroll="true" showSheetTabs="true" xWindow="0" yWindow="0" windowWidth="16384" windowHeight="8192" tabRatio="600" firstSheet="0" activeTab="0"/></bookViews>`+
			`<sheets><sheet name="花名册" sheetId="1" state="visible" r:id="rId2"/></sheets><calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.001"/>`+
			`<extLst><ext xmlns:loext="http://schemas.libreoffice.org/" uri="{7626C862-2A13-11E5-B345-FEFF819CDC9F}"><loext:extCalcPr stringRefSyntax="CalcA1ExcelA1"/></ext></extLst></workbook>`),
		xlsxtest.Text("xl/styles.xml", calcStyles),
		sheet,
		xlsxtest.Text("xl/_rels/workbook.xml.rels", rels(
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`+
				`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`+
				`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)),
		sst.part(),
		xlsxtest.Text("docProps/core.xml", head+`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" `+
			`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" `+
			`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator></dc:creator><dc:description></dc:description><dc:language>zh-CN</dc:language>`+
			`<cp:lastModifiedBy></cp:lastModifiedBy><cp:revision>0</cp:revision><dc:subject></dc:subject><dc:title></dc:title></cp:coreProperties>`),
		xlsxtest.Text("docProps/app.xml", head+`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" `+
			`xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template></Template><TotalTime>0</TotalTime>`+
			`<Application>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2</Application><AppVersion>15.0000</AppVersion></Properties>`),
		xlsxtest.Text("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>`+
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="png" ContentType="image/png"/>`+
			`<Default Extension="jpeg" ContentType="image/jpeg"/><Override PartName="/_rels/.rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`+
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
			`<Override PartName="/xl/_rels/workbook.xml.rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`+
			`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`+
			`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`+"\n</Types>"),
	)
}

const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

func rels(inside string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + inside + "\n</Relationships>"
}

// calcStyles are LibreOffice's styles: 0 General, 1 General in a CJK font, 2 yyyy-mm-dd.
const calcStyles = head + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="2"><numFmt numFmtId="164" formatCode="General"/><numFmt numFmtId="165" formatCode="yyyy\-mm\-dd"/></numFmts>` +
	`<fonts count="2"><font><sz val="10"/><name val="Arial"/><family val="2"/></font><font><sz val="10"/><name val="Noto Sans CJK SC"/><family val="2"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border diagonalUp="false" diagonalDown="false"><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyFont="true" applyBorder="true" applyAlignment="true" applyProtection="true">` +
	`<alignment horizontal="general" vertical="bottom" textRotation="0" wrapText="false" indent="0" shrinkToFit="false"/><protection locked="true" hidden="false"/></xf></cellStyleXfs>` +
	`<cellXfs count="3"><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyFont="false" applyBorder="false" applyAlignment="false" applyProtection="false"/>` +
	`<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="true" applyBorder="false" applyAlignment="false" applyProtection="false"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyFont="false" applyBorder="false" applyAlignment="false" applyProtection="false"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// excelNumbers is a short sheet as Excel saves it, where numbers ate what
// should have been text. Row by row:
//
//	2  the ID number is a number cell: its last three digits are gone
//	3  the ID number is the text "3.70102E+17", copied from what Excel showed
//	4  fine: birth date typed as 19850312, phone a number, joined a date cell
//	5  fine but for 入党时间 typed as 1998.10, which Excel keeps as 1998.1
//	6  fine: 出生年月 typed as 1959.12 (a number, year and month)
func excelNumbers() []byte {
	var sst sharedStrings
	s := func(ref, v string) string { return fmt.Sprintf(`<c r="%s" t="s"><v>%d</v></c>`, ref, sst.ref(v)) }
	n := func(ref, v string) string { return fmt.Sprintf(`<c r="%s"><v>%s</v></c>`, ref, v) }
	d := func(ref, v string) string { return fmt.Sprintf(`<c r="%s" s="1"><v>%d</v></c>`, ref, serial(v)) }
	cols := []string{"序号", "姓名", "身份证号", "出生日期", "人员类别", "入党时间", "转正时间", "联系电话", "所在支部"}
	var header string
	for c, h := range cols {
		header += s(fmt.Sprintf("%c1", 'A'+c), h)
	}
	rows := []string{
		`<row r="1" spans="1:9" x14ac:dyDescent="0.25">` + header + `</row>`,
		`<row r="2" spans="1:9" x14ac:dyDescent="0.25">` + n("A2", "1") + s("B2", "雷秀") + n("C2", "370102198907046000") +
			s("E2", "正式党员") + d("F2", "2007-12-20") + d("G2", "2008-12-19") + s("I2", "第一党支部") + `</row>`,
		`<row r="3" spans="1:9" x14ac:dyDescent="0.25">` + n("A3", "2") + s("B3", "龚东") + s("C3", "3.70102E+17") +
			s("E3", "正式党员") + d("F3", "2020-05-20") + d("G3", "2021-05-20") + s("I3", "第一党支部") + `</row>`,
		`<row r="4" spans="1:9" x14ac:dyDescent="0.25">` + n("A4", "3") + s("B4", "宋燕强") + s("C4", "370102199004292702") + n("D4", "19900429") +
			s("E4", "正式党员") + d("F4", "2021-04-12") + d("G4", "2022-04-12") + n("H4", "17562799556") + s("I4", "第一党支部") + `</row>`,
		`<row r="5" spans="1:9" x14ac:dyDescent="0.25">` + n("A5", "4") + s("B5", "郝强") + s("C5", "37010219740118444X") +
			s("E5", "正式党员") + n("F5", "1998.1") + d("G5", "1999-10-01") + s("I5", "第三党支部") + `</row>`,
		`<row r="6" spans="1:9" x14ac:dyDescent="0.25">` + n("A6", "5") + s("B6", "廖轩") + s("C6", "370102195912152344") + n("D6", "1959.12") +
			s("E6", "入党积极分子") + s("I6", "第三党支部") + `</row>`,
	}
	b := xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "Sheet1", XML: func(w io.Writer) {
		io.WriteString(w, head+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" `+
			`mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">`+
			`<dimension ref="A1:I6"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>`+
			`<sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><sheetData>`+strings.Join(rows, "")+`</sheetData>`+
			`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	}}}}
	return xlsxtest.Zip(append(b.Parts(), sst.part())...)
}

// plain is the roster as programs that export to Excel write it: no row or
// cell numbers, inline strings, dates as text, blank cells where nothing is.
func plain() []byte {
	cell := func(v string) string {
		if v == "" {
			return `<c s="0"/>`
		}
		return `<c t="inlineStr"><is><t>` + xlsxtest.Escape(v) + `</t></is></c>`
	}
	var rows strings.Builder
	rows.WriteString(`<row>`)
	for _, h := range headers {
		rows.WriteString(cell(h))
	}
	rows.WriteString(`</row>`)
	for i, p := range roster {
		fmt.Fprintf(&rows, `<row><c t="n"><v>%d</v></c>`, i+1)
		for _, v := range []string{p.name, p.sex, p.ethnic, p.birth, p.id, p.education, p.unit, p.position, p.status, p.joined, p.full, p.phone, p.branch} {
			rows.WriteString(cell(v))
		}
		rows.WriteString(`</row>`)
		if i == 19 {
			rows.WriteString(`<row/>`) // a blank line between two pages
		}
	}
	b := xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "导出数据", XML: xlsxtest.SheetData(rows.String())}}}
	return b.Bytes()
}
