// The 10×10 confusion matrix of one evaluation and what follows from it. Rows are true digits,
// columns predicted digits, so matrix[4][9] counts the 4s the model called 9.
import { allOf, integer, isFiniteNumber, isIntegerIn, listOf, satisfies, shape, statistic, type Check } from './validation';

export const DIGIT_CLASSES = 10;

export interface ConfusionReport {
  /** matrix[trueDigit][predictedDigit]: how many images of the split fell in that cell. */
  matrix: number[][];
  /** Per true digit: the share of its images predicted right; null for a digit the split lacks
   *  (not NaN, which JSON would turn into null anyway). */
  perClassAccuracy: (number | null)[];
}

/** Counts (true, predicted) pairs; labels and predictions are digits 0–9 of the same length. */
export function confusionFromPredictions(labels: ArrayLike<number>, predicted: ArrayLike<number>): ConfusionReport {
  const matrix = Array.from({ length: DIGIT_CLASSES }, () => new Array<number>(DIGIT_CLASSES).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predicted[i]!]! += 1;
  return { matrix, perClassAccuracy: matrix.map((row, digit) => {
    const count = row.reduce((a, b) => a + b, 0);
    return count > 0 ? row[digit]! / count : null;
  }) };
}

/** Every image counted once. */
export function confusionTotal(matrix: number[][]): number {
  return matrix.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
}

/** The diagonal over the total: the accuracy the matrix implies. */
export function confusionAccuracy(matrix: number[][]): number {
  return matrix.reduce((sum, row, digit) => sum + row[digit]!, 0) / confusionTotal(matrix);
}

/** Shape check for a report that crossed a process boundary: 10 rows of 10 whole counts, 10 accuracies. */
export function isConfusionReport(value: unknown): value is ConfusionReport {
  if (typeof value !== 'object' || value === null) return false;
  const { matrix, perClassAccuracy } = value as Record<string, unknown>;
  return Array.isArray(matrix) && matrix.length === DIGIT_CLASSES &&
    matrix.every((row) => Array.isArray(row) && row.length === DIGIT_CLASSES && row.every((count) => isIntegerIn(count, 0, Number.MAX_SAFE_INTEGER))) &&
    Array.isArray(perClassAccuracy) && perClassAccuracy.length === DIGIT_CLASSES && perClassAccuracy.every((accuracy) => accuracy === null || isFiniteNumber(accuracy));
}

/** The report's shape in the trainer protocol's guard: 10 rows of 10 counts, 10 accuracies. */
export const confusionReport: Check = allOf(
  shape({
    matrix: listOf(listOf(integer(0, Number.MAX_SAFE_INTEGER), DIGIT_CLASSES, DIGIT_CLASSES), DIGIT_CLASSES, DIGIT_CLASSES),
    perClassAccuracy: listOf(statistic, DIGIT_CLASSES, DIGIT_CLASSES),
  }),
  satisfies(isConfusionReport, 'finite accuracies (or null for a digit the split lacks)'),
);
