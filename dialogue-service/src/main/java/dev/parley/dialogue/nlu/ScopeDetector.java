package dev.parley.dialogue.nlu;

import java.util.List;

/**
 * Out-of-scope detection by Mahalanobis distance: how far an embedding lies from the nearest intent's mean,
 * measured with the covariance of the training phrases around their own intent's mean (shared by all intents,
 * shrunk towards a multiple of the identity so it can be inverted). In-scope phrases vary along few directions;
 * texts about something else leave that subspace, so their distance to every intent is large even when a
 * classifier would be sure of the nearest one. This is the detector that worked best for transformer intent
 * models in the literature (Podolskiy et al., "Revisiting Mahalanobis Distance for Transformer-Based
 * Out-of-Domain Detection", AAAI 2021) and, measured here, far better than a threshold on classifier confidence.
 */
public final class ScopeDetector {

    private final int dimension;
    private final int classes;
    /** The precision matrix (inverse shrunk covariance), row-major. */
    private final double[] precision;
    /** Per class: precision times the class mean, and the mean's squared norm under the precision. */
    private final double[][] precisionMeans;
    private final double[] meanNorms;

    private ScopeDetector(int dimension, int classes, double[] precision, double[][] precisionMeans,
            double[] meanNorms) {
        this.dimension = dimension;
        this.classes = classes;
        this.precision = precision;
        this.precisionMeans = precisionMeans;
        this.meanNorms = meanNorms;
    }

    /**
     * @param shrinkage 0 to 1: how much of the covariance is replaced by its average variance on the diagonal
     */
    public static ScopeDetector fit(List<float[]> vectors, int[] labels, int classes, double shrinkage) {
        int n = vectors.size();
        int d = vectors.get(0).length;
        double[][] means = new double[classes][d];
        int[] counts = new int[classes];
        for (int i = 0; i < n; i++) {
            counts[labels[i]]++;
            float[] v = vectors.get(i);
            for (int k = 0; k < d; k++) {
                means[labels[i]][k] += v[k];
            }
        }
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < d; k++) {
                means[c][k] /= Math.max(1, counts[c]);
            }
        }
        // Upper triangle of the scatter matrix, one residual at a time (vectorisable multiply-adds).
        double[] scatter = new double[d * d];
        double[] residual = new double[d];
        for (int i = 0; i < n; i++) {
            float[] v = vectors.get(i);
            double[] mean = means[labels[i]];
            for (int k = 0; k < d; k++) {
                residual[k] = v[k] - mean[k];
            }
            for (int p = 0; p < d; p++) {
                double rp = residual[p];
                int row = p * d;
                for (int q = p; q < d; q++) {
                    scatter[row + q] += rp * residual[q];
                }
            }
        }
        double trace = 0;
        for (int k = 0; k < d; k++) {
            trace += scatter[k * d + k];
        }
        double averageVariance = trace / (d * (double) n);
        double[] covariance = new double[d * d];
        for (int p = 0; p < d; p++) {
            for (int q = p; q < d; q++) {
                double value = (1 - shrinkage) * scatter[p * d + q] / n + (p == q ? shrinkage * averageVariance : 0);
                covariance[p * d + q] = value;
                covariance[q * d + p] = value;
            }
        }
        double[] precision = invertSymmetric(covariance, d);
        double[][] precisionMeans = new double[classes][];
        double[] meanNorms = new double[classes];
        for (int c = 0; c < classes; c++) {
            precisionMeans[c] = multiply(precision, means[c], d);
            meanNorms[c] = dot(means[c], precisionMeans[c]);
        }
        return new ScopeDetector(d, classes, precision, precisionMeans, meanNorms);
    }

    /** The squared Mahalanobis distance from the embedding to the nearest class mean. */
    public double distance(float[] embedding) {
        double[] x = new double[dimension];
        for (int k = 0; k < dimension; k++) {
            x[k] = embedding[k];
        }
        double[] px = multiply(precision, x, dimension);
        double xpx = dot(x, px);
        double nearest = Double.POSITIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            nearest = Math.min(nearest, xpx - 2 * dot(x, precisionMeans[c]) + meanNorms[c]);
        }
        return Math.max(0, nearest);
    }

    private static double[] multiply(double[] matrix, double[] vector, int d) {
        double[] out = new double[d];
        for (int p = 0; p < d; p++) {
            double vp = vector[p];
            int row = p * d;
            // The matrix is symmetric: accumulate column-wise for vectorisable multiply-adds.
            for (int q = 0; q < d; q++) {
                out[q] += vp * matrix[row + q];
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s0 = 0;
        double s1 = 0;
        int k = 0;
        for (; k + 1 < a.length; k += 2) {
            s0 += a[k] * b[k];
            s1 += a[k + 1] * b[k + 1];
        }
        for (; k < a.length; k++) {
            s0 += a[k] * b[k];
        }
        return s0 + s1;
    }

    /** Inverse of a symmetric positive-definite matrix by Cholesky decomposition. */
    static double[] invertSymmetric(double[] a, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (sum <= 0) {
                        throw new IllegalStateException("The covariance is not positive definite");
                    }
                    l[i * d + i] = Math.sqrt(sum);
                } else {
                    l[i * d + j] = sum / l[j * d + j];
                }
            }
        }
        // Invert L (lower triangular), then A^-1 = L^-T L^-1.
        double[] inverseL = new double[d * d];
        for (int i = 0; i < d; i++) {
            inverseL[i * d + i] = 1 / l[i * d + i];
            for (int j = 0; j < i; j++) {
                double sum = 0;
                for (int k = j; k < i; k++) {
                    sum -= l[i * d + k] * inverseL[k * d + j];
                }
                inverseL[i * d + j] = sum / l[i * d + i];
            }
        }
        double[] inverse = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                for (int k = i; k < d; k++) {
                    sum += inverseL[k * d + i] * inverseL[k * d + j];
                }
                inverse[i * d + j] = sum;
                inverse[j * d + i] = sum;
            }
        }
        return inverse;
    }
}
