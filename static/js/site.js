// Small progressive enhancements. Every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // On sign-up, preselect the browser's own time zone when the person has not chosen one.
  const zone = document.querySelector("select[name=timezone][data-detect]");
  if (zone && zone.value === "UTC") {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if ([...zone.options].some((option) => option.value === detected)) zone.value = detected;
  }
});
