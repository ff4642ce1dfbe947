// container_instances gets the state the user last asked for (running, stopped, paused), which a
// reconciler compares with what runs, and the indexes its reads (by engine, by project) use. Existing
// rows take it from their newest successful launch, start, restart, stop, pause or unpause in the
// journal (a launch that did not start the container counts as stopped); NULL when the journal has none.
export default /* sql */ `
ALTER TABLE container_instances ADD COLUMN desired_state TEXT CHECK (desired_state IN ('running', 'stopped', 'paused'));

UPDATE container_instances SET desired_state = (
  SELECT CASE
           WHEN e.type = 'container.stop' THEN 'stopped'
           WHEN e.type = 'container.pause' THEN 'paused'
           WHEN e.type = 'container.launch' AND json_extract(e.details, '$.state') = 'created' THEN 'stopped'
           ELSE 'running'
         END
  FROM events AS e
  WHERE e.container_id = container_instances.id AND e.outcome = 'ok'
    AND e.type IN ('container.launch', 'container.start', 'container.restart', 'container.stop', 'container.pause', 'container.unpause')
  ORDER BY e.ts DESC, e.id DESC
  LIMIT 1
)
WHERE removed_at IS NULL;

CREATE INDEX container_instances_engine ON container_instances (engine, desired_state);
CREATE INDEX container_instances_project ON container_instances (project);
`;
