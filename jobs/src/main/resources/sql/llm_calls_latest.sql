-- llm_calls may hold several rows per call (a rerun adds a newer row for a call that had failed). One
-- row per arm and call_key counts: a terminal answer ('ok' or 'parse_error') wins over a failure
-- ('http_error', 'timeout', ...), then the latest row (finished_at, else attempts).
-- Input view llm_calls_of_run: llm_calls of one run, with columns arm, patient_id, plane, slice_index,
-- sample, call_key, status, attempts, choice, p_hgg, model, prompt_version, simulated, finished_at
-- (the last five null when the log lacks them).
SELECT *
FROM (
  SELECT c.*,
         ROW_NUMBER() OVER (
           PARTITION BY arm, call_key
           ORDER BY CASE WHEN status IN ('ok', 'parse_error') THEN 0 ELSE 1 END,
                    finished_at DESC NULLS LAST,
                    attempts DESC) AS attempt_rank
  FROM llm_calls_of_run c
)
WHERE attempt_rank = 1
