// GET/PATCH /api/v2/endpoints/{endpoint}/settings.
import { Router } from 'express';
import type { Endpoints } from '../endpoints/endpoints.js';
import { applySettingsPatch, defaultSettings } from '../endpoints/settings.js';
import { endpointParam } from './params.js';

export function settingsRouter(endpoints: Endpoints): Router {
  const router = Router();
  const path = '/api/v2/endpoints/:endpoint/settings';

  router.get(path, (req, res) => {
    res.json(endpoints.get(endpointParam(req))?.settings ?? defaultSettings());
  });

  router.patch(path, (req, res) => {
    const name = endpointParam(req);
    const current = endpoints.get(name)?.settings ?? defaultSettings();
    const next = applySettingsPatch(current, req.body ?? {}, { code: 'validation_error' });
    res.json(endpoints.setSettings(name, next).settings);
  });

  return router;
}
