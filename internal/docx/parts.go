package docx

// The fixed parts of the package. Measures are in twentieths of a point
// (twips): A4 is 11906 × 16838; 1 mm is 56.69 twips.

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const namespaces = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`

const rootRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`

const coreProps = xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>%s</dc:title><dc:creator>政法党建云平台</dc:creator></cp:coreProperties>`

const documentRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
</Relationships>`

// styles: the body's font and the exact line pitch of the grid (22 lines in
// the 225 mm text block, 578 twips each) as the defaults of every paragraph.
const styles = xmlHeader + `<w:styles ` + namespaces + `>
<w:docDefaults>
<w:rPrDefault><w:rPr>` + runBody + `<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="578" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
</w:styles>`

// fontTable names the official fonts with the common ones a machine without
// them uses instead.
const fontTable = xmlHeader + `<w:fonts ` + namespaces + `>
<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="script"/></w:font>
<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/></w:font>
<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/><w:charset w:val="86"/><w:family w:val="modern"/></w:font>
<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/></w:font>
<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/></w:font>
<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/></w:font>
</w:fonts>`

const settings = xmlHeader + `<w:settings ` + namespaces + `><w:defaultTabStop w:val="420"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

// footer: the page number as "— 1 —" in 宋体 四号, centred.
const footer = xmlHeader + `<w:ftr ` + namespaces + `><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
	`<w:r><w:rPr>` + runPage + `</w:rPr><w:t xml:space="preserve">— </w:t></w:r>` +
	`<w:r><w:rPr>` + runPage + `</w:rPr><w:fldChar w:fldCharType="begin"/></w:r>` +
	`<w:r><w:rPr>` + runPage + `</w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
	`<w:r><w:rPr>` + runPage + `</w:rPr><w:fldChar w:fldCharType="separate"/></w:r>` +
	`<w:r><w:rPr>` + runPage + `</w:rPr><w:t>1</w:t></w:r>` +
	`<w:r><w:rPr>` + runPage + `</w:rPr><w:fldChar w:fldCharType="end"/></w:r>` +
	`<w:r><w:rPr>` + runPage + `</w:rPr><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`

const runPage = `<w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/><w:szCs w:val="28"/>`

// sectionProps: A4; 天头 37 mm, 地脚 35 mm, 订口 28 mm, 切口 26 mm; a line
// grid of 22 lines. The 28 characters a line come from the runs' character
// spacing (runBody), which every word processor honours alike; a character
// grid (linesAndChars) is laid out differently by Word and LibreOffice.
const sectionProps = `<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>` +
	`<w:pgSz w:w="11906" w:h="16838"/>` +
	`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="1134" w:gutter="0"/>` +
	`<w:docGrid w:type="lines" w:linePitch="578"/></w:sectPr>`
