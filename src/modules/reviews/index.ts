import { defineModule } from '../module.ts';
import { reviewRoutes } from './reviews.routes.ts';

/** Management reviews (clause 9.3). */
export const reviewsModule = defineModule({ id: 'reviews', pages: (s) => [reviewRoutes(s)] });
