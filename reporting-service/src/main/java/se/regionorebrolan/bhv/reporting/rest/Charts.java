package se.regionorebrolan.bhv.reporting.rest;

import java.util.List;
import java.util.Map;

/**
 * Charts as server-rendered SVG for the console: no script, no colour needed to read them (each series has its own
 * shade and hatching, every bar a title with its figure, and the page shows the same figures in a table beside).
 */
final class Charts {

    private static final String[] FILLS = {"#1f4e79", "url(#hatch)", "#9dc3e6", "url(#dots)", "#595959", "#d9d9d9"};

    private Charts() {
    }

    /** A series: its name and one value per column. */
    record Series(String name, long[] values) {
    }

    /** Columns of stacked bars (one stack per column, one segment per series), with a legend. */
    static String stacked(String id, String caption, List<String> columns, List<Series> series) {
        int width = 760;
        int height = 260;
        int left = 50;
        int bottom = 30;
        int top = 10;
        long max = 1;
        for (int c = 0; c < columns.size(); c++) {
            long sum = 0;
            for (Series s : series) {
                sum += s.values()[c];
            }
            max = Math.max(max, sum);
        }
        double unit = (height - bottom - top) / (double) max;
        int slot = (width - left) / Math.max(1, columns.size());
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"").append(id)
                .append("-title\" viewBox=\"0 0 ").append(width).append(' ').append(height + 20 * series.size())
                .append("\" class=\"chart\"><title id=\"").append(id).append("-title\">").append(escape(caption))
                .append("</title>").append(PATTERNS);
        svg.append(line(left, top, left, height - bottom)).append(line(left, height - bottom, width, height - bottom));
        svg.append(text(left - 6, top + 8, "end", Long.toString(max)));
        svg.append(text(left - 6, height - bottom, "end", "0"));
        for (int c = 0; c < columns.size(); c++) {
            double y = height - bottom;
            int x = left + c * slot + 6;
            for (int s = 0; s < series.size(); s++) {
                long value = series.get(s).values()[c];
                if (value == 0) {
                    continue;
                }
                double h = value * unit;
                y -= h;
                svg.append("<rect x=\"").append(x).append("\" y=\"").append(round(y)).append("\" width=\"")
                        .append(slot - 12).append("\" height=\"").append(round(h)).append("\" fill=\"")
                        .append(FILLS[s % FILLS.length]).append("\" stroke=\"#000\" stroke-width=\"0.5\"><title>")
                        .append(escape(series.get(s).name() + ", " + columns.get(c) + ": " + value))
                        .append("</title></rect>");
            }
            svg.append(text(x + (slot - 12) / 2, height - bottom + 14, "middle", columns.get(c)));
        }
        for (int s = 0; s < series.size(); s++) {
            int y = height + 20 * s;
            svg.append("<rect x=\"").append(left).append("\" y=\"").append(y - 10).append("\" width=\"14\" height=\"12\""
                    + " stroke=\"#000\" stroke-width=\"0.5\" fill=\"").append(FILLS[s % FILLS.length]).append("\"/>");
            svg.append(text(left + 20, y, "start", series.get(s).name()));
        }
        return svg.append("</svg>").toString();
    }

    /** Horizontal bars, each labelled with its figure. */
    static String bars(String id, String caption, Map<String, Long> values) {
        int row = 22;
        int width = 760;
        int label = 170;
        long max = Math.max(1, values.values().stream().mapToLong(Long::longValue).max().orElse(1));
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"")
                .append(id).append("-title\" viewBox=\"0 0 ").append(width).append(' ').append(row * values.size() + 4)
                .append("\" class=\"chart\"><title id=\"").append(id).append("-title\">").append(escape(caption))
                .append("</title>");
        int y = 0;
        for (Map.Entry<String, Long> bar : values.entrySet()) {
            double length = (width - label - 60) * bar.getValue() / (double) max;
            svg.append(text(label - 8, y + 15, "end", bar.getKey()));
            svg.append("<rect x=\"").append(label).append("\" y=\"").append(y + 4).append("\" width=\"")
                    .append(round(Math.max(length, 1))).append("\" height=\"").append(row - 8)
                    .append("\" fill=\"#1f4e79\"><title>").append(escape(bar.getKey() + ": " + bar.getValue()))
                    .append("</title></rect>");
            svg.append(text((int) (label + length + 6), y + 15, "start", Long.toString(bar.getValue())));
            y += row;
        }
        return svg.append("</svg>").toString();
    }

    private static final String PATTERNS = "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
            + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\""
            + " x2=\"0\" y2=\"6\" stroke=\"#1f4e79\" stroke-width=\"3\"/></pattern><pattern id=\"dots\" width=\"5\""
            + " height=\"5\" patternUnits=\"userSpaceOnUse\"><rect width=\"5\" height=\"5\" fill=\"#fff\"/><circle"
            + " cx=\"2.5\" cy=\"2.5\" r=\"1.3\" fill=\"#000\"/></pattern></defs>";

    private static String line(int x1, int y1, int x2, int y2) {
        return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"#000\"/>";
    }

    private static String text(int x, int y, String anchor, String value) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\" font-size=\"11\">"
                + escape(value) + "</text>";
    }

    private static String round(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }

    static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
