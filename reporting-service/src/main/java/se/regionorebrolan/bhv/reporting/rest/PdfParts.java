package se.regionorebrolan.bhv.reporting.rest;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.Map;

/** The parts the reports' PDFs are made of (OpenPDF): an A4 landscape document, tables, headings, bar charts. */
final class PdfParts {

    static final Font TITLE = font(16, Font.BOLD);
    static final Font HEADING = font(12, Font.BOLD);
    static final Font TEXT = font(9, Font.NORMAL);
    static final Font BOLD = font(9, Font.BOLD);

    private PdfParts() {
    }

    interface Content {
        void write(Document doc, PdfWriter writer) throws Exception;
    }

    static byte[] document(String title, Content content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4.rotate(), 36, 36, 36, 36);
        try {
            PdfWriter writer = PdfWriter.getInstance(doc, out);
            writer.setStrictImageSequence(true); // a chart stays where it is in the text
            doc.addTitle(title);
            doc.addCreator("bhv reporting-service");
            doc.open();
            content.write(doc, writer);
            doc.close();
        } catch (Exception e) {
            throw new IllegalStateException("the PDF could not be made", e);
        }
        return out.toByteArray();
    }

    /** A bar chart drawn as vectors, each bar labelled with its number (readable without colour). */
    static Image bars(PdfWriter writer, Map<String, Long> values) throws Exception {
        float width = 700;
        float rowHeight = 14;
        float height = values.size() * rowHeight + 4;
        PdfTemplate chart = PdfTemplate.createTemplate(writer, width, height);
        long max = Math.max(1, values.values().stream().mapToLong(Long::longValue).max().orElse(1));
        BaseFont font = BaseFont.createFont(BaseFont.HELVETICA, BaseFont.CP1252, BaseFont.NOT_EMBEDDED);
        float y = height - rowHeight;
        for (Map.Entry<String, Long> bar : values.entrySet()) {
            float length = 450f * bar.getValue() / max;
            chart.setGrayFill(0.35f);
            chart.rectangle(160, y + 2, Math.max(length, 0.5f), rowHeight - 5);
            chart.fill();
            chart.beginText();
            chart.setGrayFill(0f);
            chart.setFontAndSize(font, 8);
            chart.showTextAligned(PdfContentByte.ALIGN_RIGHT, bar.getKey(), 154, y + 3, 0);
            chart.showTextAligned(PdfContentByte.ALIGN_LEFT, Long.toString(bar.getValue()), 166 + length, y + 3, 0);
            chart.endText();
            y -= rowHeight;
        }
        return Image.getInstance(chart);
    }

    static PdfPTable pairs(String[][] rows) {
        PdfPTable table = table(new float[] {3, 1.2f});
        for (String[] row : rows) {
            cells(table, row);
        }
        return table;
    }

    static PdfPTable table(float[] widths, String... header) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setSplitLate(false); // a long table continues on the next page, in its place
        table.setSpacingBefore(4);
        table.setSpacingAfter(8);
        for (String h : header) {
            table.addCell(cell(h, BOLD));
        }
        table.setHeaderRows(header.length == 0 ? 0 : 1);
        return table;
    }

    static void cells(PdfPTable table, String... values) {
        for (String value : values) {
            table.addCell(cell(value, TEXT));
        }
    }

    static PdfPCell cell(String value, Font font) {
        PdfPCell cell = new PdfPCell(new Phrase(value == null ? "" : value, font));
        cell.setPadding(3);
        cell.setVerticalAlignment(Element.ALIGN_MIDDLE);
        return cell;
    }

    static void heading(Document doc, String text) throws Exception {
        Paragraph heading = new Paragraph(text, HEADING);
        heading.setSpacingBefore(10);
        heading.setSpacingAfter(2);
        doc.add(heading);
    }

    static String sek(BigDecimal amount) {
        return amount == null ? "–" : amount.toPlainString();
    }

    static String text(Object value) {
        return value == null ? "–" : value.toString();
    }

    static Font font(float size, int style) {
        return FontFactory.getFont(FontFactory.HELVETICA, BaseFont.CP1252, size, style);
    }
}
