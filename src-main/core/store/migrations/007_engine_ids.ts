// One engine identifier everywhere: `events.engine` held the engine's name ("Local", "gpu-box") while
// every other table holds its id ("local", "a1b2c3d4"). Rows now hold the id; the name moves into
// details.engineName (mlenv_details_with_engine_name, the rule the events repository writes by) for
// display. Statements run in this order so that none sees another's output as its input.
export default /* sql */ `
-- An engine.invalid row named the stored engine by its id already: add its name.
UPDATE events SET details = mlenv_details_with_engine_name(details, (SELECT name FROM engines WHERE engines.id = events.engine))
WHERE engine IN (SELECT id FROM engines) AND engine NOT IN (SELECT name FROM engines);

-- The name of an engine still stored: its id.
UPDATE events SET details = mlenv_details_with_engine_name(details, engine),
                  engine = (SELECT id FROM engines WHERE engines.name = events.engine)
WHERE engine IN (SELECT name FROM engines);

-- The local engine, named "Local" (no added engine can take that name).
UPDATE events SET details = mlenv_details_with_engine_name(details, engine), engine = 'local'
WHERE engine = 'Local';

-- The name of an engine since removed: its id is gone with it, so only the name is kept, for display.
UPDATE events SET details = mlenv_details_with_engine_name(details, engine), engine = NULL
WHERE engine IS NOT NULL AND engine <> 'local' AND engine NOT IN (SELECT id FROM engines);
`;
