package docx_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/docx"
	"dangjian/internal/store/storetest"
)

func sample() *docx.Document {
	d := docx.New("市委政法委2026年上半年党建工作总结")
	d.Paragraph("2026年上半年，政法委系统党建工作在市委正确领导下扎实推进。现将上半年工作情况总结如下：")
	d.Heading1("一、以思想建设为根基，筑牢政法队伍政治忠诚")
	d.Heading2("（一）构建常态化学习机制，提升理论素养")
	d.Paragraph("组织集中学习16次、专题研讨4场，覆盖党员干部320人次，覆盖率达99.1%。")
	d.Table([]string{"指标", "本期", "上年同期", "变化"}, [][]string{{"集中学习", "16次", "14次", "较上年同期提升14%"}})
	d.Heading1("二、存在的问题")
	d.Paragraph("第三党支部二季度未召开支部党员大会。<逐项整改> & 按期销号")
	return d
}

// TestOfficialLayoutIsInThePackage: the fonts, sizes, margins, grid and
// page-number field the official format asks for are in the document.
func TestOfficialLayoutIsInThePackage(t *testing.T) {
	var buf bytes.Buffer
	if _, err := sample().WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		f, err := z.Open(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, _ := io.ReadAll(f)
		return string(b)
	}
	doc, ft, footer := read("word/document.xml"), read("word/fontTable.xml"), read("word/footer1.xml")
	for _, want := range []string{
		`w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/>`,                          // title 二号
		`w:eastAsia="仿宋_GB2312"/><w:spacing w:val="-4"/><w:sz w:val="32"/>`, // body 三号, 28 a line
		`w:eastAsia="黑体"/><w:spacing w:val="-4"/><w:sz w:val="32"/>`,        // 一级标题
		`w:eastAsia="楷体_GB2312"/><w:spacing w:val="-4"/><w:sz w:val="32"/>`, // 二级标题
		`<w:pgSz w:w="11906" w:h="16838"/>`,                                 // A4
		`w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`,
		`w:linePitch="578"`,
		`&lt;逐项整改&gt; &amp; 按期销号`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if !strings.Contains(ft, `<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>`) || !strings.Contains(footer, "PAGE") {
		t.Error("no fallback fonts or no page number")
	}
}

// TestDocumentReadsBackThroughLibreOffice: LibreOffice opens the file and
// its text holds the title, the headings and the figures in order; as PDF
// the pages are A4.
func TestDocumentReadsBackThroughLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		storetest.Missing(t, "LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui)")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "summary.docx")
	f, _ := os.Create(path)
	if _, err := sample().WriteTo(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, format := range []string{"txt:Text", "pdf"} {
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
			"--convert-to", format, "--outdir", dir, path)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice --convert-to %s: %v\n%s", format, err, out)
		}
	}
	text, err := os.ReadFile(filepath.Join(dir, "summary.txt"))
	if err != nil {
		t.Fatal(err)
	}
	at := 0
	for _, want := range []string{"市委政法委2026年上半年党建工作总结", "一、以思想建设为根基", "（一）构建常态化学习机制",
		"组织集中学习16次", "覆盖率达99.1%", "较上年同期提升14%", "二、存在的问题", "第三党支部二季度未召开支部党员大会"} {
		i := strings.Index(string(text[at:]), want)
		if i < 0 {
			t.Fatalf("LibreOffice's text lacks %q after position %d:\n%s", want, at, text)
		}
		at += i + len(want)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "summary.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(pdf, []byte("/MediaBox[0 0 595")) && !bytes.Contains(pdf, []byte("/MediaBox [0 0 595")) {
		t.Fatal("the PDF's pages are not A4 (595 × 842 points)")
	}
}
