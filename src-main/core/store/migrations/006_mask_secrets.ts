// Secrets at rest from before: launch specs kept env values whose names look secret (NGC_API_KEY,
// HF_TOKEN, …) and `request.failed` rows quoted a refused env entry whole. Both are masked in place
// (the SQL functions in sql-functions.ts); secure_delete zeroes the bytes the old values leave behind.
export default /* sql */ `
PRAGMA secure_delete = ON;
UPDATE container_instances SET spec = mlenv_mask_launch_spec(spec) WHERE spec LIKE '%"env"%';
UPDATE events SET error = mlenv_mask_env_message(error) WHERE error LIKE '%is not an environment variable%';
PRAGMA secure_delete = OFF;
`;
