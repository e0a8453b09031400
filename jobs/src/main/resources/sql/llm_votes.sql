-- Per arm, patient and plane: the winner-takes-all vote, GLDR and the score, as predictions rows.
--
-- Vote: the bucket with the most slices wins; a tie goes to the bucket listed first in
-- aggregate.vote.tie.order (default lgg, hgg, none, unparseable: the study's tally [24, 20, 24, 10]
-- gave LGG). A patient whose calls all failed has vote 'no_answer'. pred = 1 (HGG) only for an HGG
-- vote: LGG, "no glioma" and unparseable all mean "not HGG" for the binary HGG-vs-LGG metrics.
-- GLDR = HGG / (HGG + LGG) slices (null without any such answer). The score behind ROC AUC is the mean
-- P(HGG) where every patient of the arm and plane has one (aggregate.llm.score=auto or mean_p_hgg),
-- else GLDR; a patient without either gets 0.5 (no evidence either way).
-- Parameters: ${run_id}, ${rank_lgg}, ${rank_hgg}, ${rank_none}, ${rank_unparseable}, ${llm_score}.
-- Input views llm_tally (llm_tally.sql) and patients (patient_id, label, cohort, fold).
WITH voted AS (
  SELECT t.*,
         CASE
           WHEN n_lgg + n_hgg + n_none + n_unparseable = 0 THEN 'no_answer'
           ELSE sort_array(array(
                  named_struct('minus_n', -n_lgg, 'tie_rank', ${rank_lgg}, 'bucket', 'LGG'),
                  named_struct('minus_n', -n_hgg, 'tie_rank', ${rank_hgg}, 'bucket', 'HGG'),
                  named_struct('minus_n', -n_none, 'tie_rank', ${rank_none}, 'bucket', 'none'),
                  named_struct('minus_n', -n_unparseable, 'tie_rank', ${rank_unparseable}, 'bucket', 'unparseable')
                ))[0].bucket
         END AS vote,
         CASE WHEN n_hgg + n_lgg > 0 THEN n_hgg / (n_hgg + n_lgg) END AS gldr,
         MIN(CASE WHEN mean_p_hgg IS NULL THEN 0 ELSE 1 END) OVER (PARTITION BY arm, plane) = 1
           AND '${llm_score}' IN ('auto', 'mean_p_hgg') AS use_p_hgg
  FROM llm_tally t
)
SELECT '${run_id}' AS run_id,
       v.arm AS model,
       v.plane,
       p.cohort,
       p.fold,
       v.patient_id,
       p.label,
       CASE WHEN v.use_p_hgg THEN v.mean_p_hgg ELSE coalesce(v.gldr, 0.5) END AS score,
       CASE WHEN v.vote = 'HGG' THEN 1 ELSE 0 END AS pred,
       v.n_lgg,
       v.n_hgg,
       v.n_none,
       v.n_unparseable,
       v.n_failed,
       v.vote,
       v.gldr,
       v.mean_p_hgg,
       CASE WHEN v.use_p_hgg THEN 'mean_p_hgg' ELSE 'gldr' END AS score_source,
       v.llm_model,
       (v.simulated_calls OR lower(v.arm) LIKE '%simulated%'
         OR lower(coalesce(v.llm_model, '')) LIKE '%simulated%') AS simulated
FROM voted v
JOIN patients p ON p.patient_id = v.patient_id
