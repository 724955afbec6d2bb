/** Stylesheets imported by a view (Vite bundles them into the app's CSS file). */
declare module '*.css';
