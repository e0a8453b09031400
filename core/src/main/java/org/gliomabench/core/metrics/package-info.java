/**
 * Binary classification metrics for the study (plain Java, no Spark): confusion counts and the rates
 * built on them, ROC AUC, bootstrap intervals, paired tests (McNemar, DeLong), the majority-class
 * baseline and the summary across folds.
 *
 * <p>Conventions: positive = HGG = label 1, negative = LGG = label 0. A rate whose denominator is
 * empty (e.g. precision with no positive predictions) is {@code NaN}, never 0, so that it cannot pass
 * for a measured value and means across folds skip it (see {@link FoldSummary}).
 */
package org.gliomabench.core.metrics;
