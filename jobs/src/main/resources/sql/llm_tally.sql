-- Per arm, patient and plane: the tally [LGG, HGG, no glioma, unparseable] over the patient's slices,
-- the calls that never got an answer, and the mean P(HGG) where logprobs exist. Each slice counts once:
-- sample 0 (samples 1, 2, ... are the consistency test's repeats), classify prompts only (not the
-- locate-* prompts of the segmentation test).
-- Input view llm_calls_latest (llm_calls_latest.sql).
SELECT arm,
       patient_id,
       plane,
       CAST(SUM(CASE WHEN status = 'ok' AND choice = 0 THEN 1 ELSE 0 END) AS INT) AS n_lgg,
       CAST(SUM(CASE WHEN status = 'ok' AND choice = 1 THEN 1 ELSE 0 END) AS INT) AS n_hgg,
       CAST(SUM(CASE WHEN status = 'ok' AND choice = 2 THEN 1 ELSE 0 END) AS INT) AS n_none,
       CAST(SUM(CASE WHEN status = 'parse_error'
                       OR (status = 'ok' AND (choice IS NULL OR choice NOT IN (0, 1, 2)))
                     THEN 1 ELSE 0 END) AS INT) AS n_unparseable,
       CAST(SUM(CASE WHEN status NOT IN ('ok', 'parse_error') THEN 1 ELSE 0 END) AS INT) AS n_failed,
       AVG(CASE WHEN status = 'ok' THEN p_hgg END) AS mean_p_hgg,
       concat_ws(',', array_sort(collect_set(model))) AS llm_model,
       bool_or(coalesce(simulated, false)) AS simulated_calls
FROM llm_calls_latest
WHERE coalesce(sample, 0) = 0
  AND coalesce(prompt_version, 'classify') NOT LIKE 'locate%'
GROUP BY arm, patient_id, plane
