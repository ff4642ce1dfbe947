import { ProjectFolder } from './ProjectFolder';

/** Settings → Launch: the project folder one-click launches mount (the same field as on an image's page). */
export function LaunchSettings() {
  return (
    <section className="card" data-testid="launch-settings">
      <h3>Launch</h3>
      <ProjectFolder />
    </section>
  );
}
