import type { TrendSeries } from './types';
import { COLOR, FONT, type Doc } from './pdf-layout';

const SERIES_COLORS = ['#2753e0', '#0f766e', '#c2410c', '#7c3aed', '#be123c', '#4d7c0f', '#0369a1', '#a16207'];
/** More lines than this make the chart unreadable; the per-cluster table lists every cluster anyway. */
export const MAX_CHART_SERIES = SERIES_COLORS.length;

const DAY_MS = 86_400_000;
const dayNumber = (day: string): number => Math.floor(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / DAY_MS);

/**
 * The score trend over the period in vector strokes: a 0-100 axis with gridlines, the first, middle and last day
 * on the x axis, one line per series (with the day's min-max band when there is a single series) and a legend.
 */
export function drawTrendChart(doc: Doc, box: { x: number; y: number; width: number; height: number }, series: readonly TrendSeries[], period: { start: string; end: string }): void {
  const left = box.x + 26;
  const right = box.x + box.width - 6;
  const top = box.y + 6;
  const bottom = box.y + box.height - (series.length > 1 ? 30 : 16);
  const first = dayNumber(period.start);
  const last = Math.max(first + 1, dayNumber(period.end));
  const xOf = (day: string) => left + ((dayNumber(day) - first) / (last - first)) * (right - left);
  const yOf = (score: number) => bottom - (Math.max(0, Math.min(100, score)) / 100) * (bottom - top);

  doc.save();
  doc.font(FONT.regular).fontSize(6.5);
  for (const tick of [0, 25, 50, 75, 100]) {
    const y = yOf(tick);
    doc.moveTo(left, y).lineTo(right, y).lineWidth(0.4).strokeColor(tick === 0 ? COLOR.muted : COLOR.rule).stroke();
    doc.fillColor(COLOR.muted).text(`${tick}%`, box.x, y - 3, { width: 22, align: 'right', lineBreak: false });
  }
  const ticks = [period.start, new Date(((first + last) / 2) * DAY_MS).toISOString(), period.end];
  ticks.forEach((tick, index) => {
    const x = left + (index / 2) * (right - left);
    const align = index === 0 ? 'left' : index === 2 ? 'right' : 'center';
    doc.fillColor(COLOR.muted).text(tick.slice(0, 10), x - (index === 0 ? 0 : index === 2 ? 60 : 30), bottom + 4, { width: 60, align, lineBreak: false });
  });

  const drawn = series.slice(0, MAX_CHART_SERIES).filter((s) => s.points.length > 0);
  if (drawn.length === 0) {
    doc.fontSize(8).fillColor(COLOR.muted).text('No score was recorded during the period.', left, (top + bottom) / 2 - 4, { width: right - left, align: 'center', lineBreak: false });
  }
  drawn.forEach((s, index) => {
    const color = SERIES_COLORS[index % SERIES_COLORS.length] ?? COLOR.brand;
    const points = s.points.filter((p) => dayNumber(p.day) >= first && dayNumber(p.day) <= last);
    if (drawn.length === 1 && points.length > 1) {
      const band = [...points.map((p) => [xOf(p.day), yOf(p.maxScore)]), ...[...points].reverse().map((p) => [xOf(p.day), yOf(p.minScore)])];
      doc.polygon(...band).fillOpacity(0.12).fill(color).fillOpacity(1);
    }
    if (points.length === 1 && points[0]) {
      doc.circle(xOf(points[0].day), yOf(points[0].score), 2).fill(color);
    } else {
      points.forEach((p, i) => (i === 0 ? doc.moveTo(xOf(p.day), yOf(p.score)) : doc.lineTo(xOf(p.day), yOf(p.score))));
      doc.lineWidth(1.4).strokeColor(color).stroke();
    }
  });

  if (drawn.length > 1) {
    let x = left;
    const y = box.y + box.height - 12;
    drawn.forEach((s, index) => {
      const color = SERIES_COLORS[index % SERIES_COLORS.length] ?? COLOR.brand;
      const label = s.label.length > 24 ? `${s.label.slice(0, 23)}…` : s.label;
      const width = doc.fontSize(6.5).widthOfString(label) + 18;
      if (x + width > right) return;
      doc.rect(x, y + 1, 8, 4).fill(color);
      doc.fillColor(COLOR.text).text(label, x + 11, y, { lineBreak: false });
      x += width;
    });
  }
  doc.restore();
}
