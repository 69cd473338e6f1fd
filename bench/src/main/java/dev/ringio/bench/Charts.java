package dev.ringio.bench;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * A PNG bar chart per table (XChart, drawn headless): for every case, each contender's median as
 * a multiple of the table's baseline, so that cases of very different absolute speed share one
 * axis (the absolute figures are in the table and the JSON).
 */
final class Charts {

    private Charts() {
    }

    static void write(BenchTable t, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> cases = new ArrayList<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (BenchCase bc : t.cases) {
            if (bc.baseline() == null) {
                continue;
            }
            cases.add(bc.shortLabel);
            for (Contender c : bc.contenders) {
                labels.putIfAbsent(c.key, c.label);
            }
        }
        if (cases.isEmpty()) {
            throw new IOException("no case has a baseline figure to chart against");
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(Math.max(1000, 140 * cases.size() + 480))
                .height(560)
                .title(t.title)
                .xAxisTitle("")
                .yAxisTitle(t.metric + ", × " + t.baselineLabel + " (median of rounds; 1 = " + t.baselineLabel + ")")
                .build();
        CategoryStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridVerticalLinesVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        chart.getStyler().setAvailableSpaceFill(0.85);
        chart.getStyler().setOverlapped(false);
        for (Map.Entry<String, String> e : labels.entrySet()) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (BenchCase bc : t.cases) {
                if (bc.baseline() == null) {
                    continue;
                }
                Contender c = bc.find(e.getKey());
                double r = c == null || c.samples().isEmpty() ? 0 : Stats.median(c.ratiosTo(bc.baseline()));
                any |= r > 0;
                ys.add(Double.isNaN(r) ? 0 : r);
            }
            if (any) {
                chart.addSeries(e.getValue(), cases, ys);
            }
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
