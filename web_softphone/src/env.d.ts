// esbuild bundles stylesheets imported for their side effect into dist/app.css.
declare module "*.css";
