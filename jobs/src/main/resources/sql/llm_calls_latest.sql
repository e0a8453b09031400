-- llm_calls keeps every attempt of every call. One row per call_key counts: a terminal answer
-- ('ok' or 'parse_error') wins over a failure ('http_error', 'timeout', ...), then the latest attempt.
-- Input view llm_calls_of_run: llm_calls of one run, with columns arm, patient_id, plane, slice_index,
-- sample, call_key, status, attempts, choice, p_hgg, model (null when the log has no model column).
SELECT *
FROM (
  SELECT c.*,
         ROW_NUMBER() OVER (
           PARTITION BY call_key
           ORDER BY CASE WHEN status IN ('ok', 'parse_error') THEN 0 ELSE 1 END,
                    attempts DESC) AS attempt_rank
  FROM llm_calls_of_run c
)
WHERE attempt_rank = 1
