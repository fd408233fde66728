/** Shown in a browser opened without the link `npm run web` printed (which carries its secret). */
export function MissingLink() {
  return (
    <main className="center-page">
      <div className="panel narrow">
        <h1>Open metricdrop from its link</h1>
        <p>
          This page talks to the metricdrop process on this computer, which only answers the link it printed when it started. Run{' '}
          <code>npm run web</code> and open the address it shows.
        </p>
      </div>
    </main>
  );
}
